import type { MaterialsPart } from '../materials/materials-package';
import { statisticsWorkbook, workbookBuffer } from './statistics-sheet';
import type { VisitStatisticsService } from './statistics.service';

/** The college's statistics table (附件2) in its materials package, made from the records when the package is written. */
export function statisticsPart(statistics: VisitStatisticsService): MaterialsPart {
  return async ({ actor, campaign, college }) => {
    const figures = await statistics.forCollege(actor, String(campaign._id), String(college));
    return [{ name: '家访活动学院走访统计表.xlsx', content: await workbookBuffer(await statisticsWorkbook(figures)) }];
  };
}
