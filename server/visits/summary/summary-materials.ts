import type { CjkFont } from '../../files/cjk-pdf';
import type { FileStore } from '../../files/file-store';
import type { MaterialsPart } from '../materials/materials-package';
import { TypicalCaseModel, type TypicalCase } from '../cases/typical-case.model';
import { publicityPdf } from '../cases/typical-case-pdf';
import { consentedChannels, type TypicalCasesService } from '../cases/typical-cases.service';
import type { PublicityChannel } from '../cases/typical-case-vocabulary';
import type { CollegeSummaryService } from './college-summary.service';
import { renderSummaryPdf } from './summary-pdf';

/** Typical cases one package carries at most. */
const CASES_IN_PACKAGE = 100;
/** The widest publicity first: the case is packed as the material of the widest channel its consent allows. */
const WIDEST_FIRST: PublicityChannel[] = ['website', 'wechat', 'internal'];

/** A title as a file name inside the ZIP: no folder separators or characters archivers refuse. */
const fileSafe = (title: string) => title.replace(/[\\/:*?"<>|\r\n\t]+/g, '_').trim().slice(0, 80) || '案例';

/**
 * Seed 001 §8(一): the college summary (学院总结.pdf) and the growth cases' publicity material
 * (典型案例/<title>.pdf) in the college's materials package. Only cases with a consent in force are
 * packed; a case without one stays internal and out of the package.
 */
export function summaryMaterialsParts(summaries: CollegeSummaryService, cases: TypicalCasesService, store: FileStore, font: CjkFont): MaterialsPart[] {
  const summaryPart: MaterialsPart = async ({ actor, campaign, college }) => {
    const summary = await summaries.get(actor, String(campaign._id), String(college));
    return [{ name: '学院总结.pdf', content: await renderSummaryPdf(summary, font) }];
  };
  const casesPart: MaterialsPart = async ({ actor, campaign, college }) => {
    const found = (await TypicalCaseModel.find({ campaigns: campaign._id, college }).select('_id title consents').sort({ createdAt: 1 }).limit(CASES_IN_PACKAGE).lean()) as TypicalCase[];
    const files: Array<{ name: string; content: Buffer }> = [];
    const taken = new Set<string>();
    for (const c of found) {
      const channels = consentedChannels(c);
      const channel = WIDEST_FIRST.find((ch) => channels.has(ch));
      if (!channel) continue;
      let name = fileSafe(c.title);
      for (let n = 2; taken.has(name); n += 1) name = `${fileSafe(c.title)}-${n}`;
      taken.add(name);
      files.push({ name: `典型案例/${name}.pdf`, content: (await publicityPdf(cases, store, font, actor, c._id, channel)).pdf });
    }
    return files;
  };
  return [summaryPart, casesPart];
}
