import { NOT_A_CIPHERTEXT, type RotationReport, type StoreProgress } from './key-rotation';

/** One progress line per collection, e.g. `form submissions: 1200/3000 checked, 800 rewritten (1600 values), 40 already current`. */
export function describeProgress(p: StoreProgress): string {
  const parts = [`${p.scanned}/${p.total} checked`, `${p.rewritten} rewritten (${p.reencrypted} values)`, `${p.current} values already current`];
  if (p.changedMeanwhile > 0) parts.push(`${p.changedMeanwhile} values changed meanwhile (next run)`);
  const pending = Object.values(p.pendingByKey).reduce((a, b) => a + b, 0);
  if (pending > 0) parts.push(`${pending} values still under an old key`);
  return `${p.label} [${p.store}]: ${parts.join(', ')}`;
}

const list = (counts: Record<string, number>, ids: string[]): string => ids.map((id) => `${id} (${counts[id]} values)`).join(', ');

/** What the operator needs to know at the end: is the old key still needed, and what to do next. */
export function describeOutcome(report: RotationReport): string[] {
  const lines: string[] = [];
  const needed = Object.keys(report.stillNeeded).filter((id) => !report.missingKeys.includes(id));
  if (report.stoppedEarly) {
    lines.push('Stopped before every record was checked: run the command again to continue (records already under the current key are skipped).');
    lines.push('已中途停止，并非所有记录都已检查：再次运行本命令即可继续（已使用当前密钥的记录会被跳过）。');
  }
  const malformed = report.stillNeeded[NOT_A_CIPHERTEXT];
  if (malformed) {
    lines.push(`WARNING: ${malformed} stored values in sealed fields are not ciphertexts at all; they were left as they are: check them by hand.`);
    lines.push(`警告：加密字段中有 ${malformed} 个值不是密文，已原样保留，请人工核查。`);
  }
  const missing = report.missingKeys.filter((id) => id !== NOT_A_CIPHERTEXT);
  if (missing.length > 0) {
    lines.push(`WARNING: ${list(report.stillNeeded, missing)} were made with keys that are not configured and cannot be read now: add those keys to HSB_ENCRYPTION_PREVIOUS_KEYS and run again.`);
    lines.push(`警告：${list(report.stillNeeded, missing)} 由未配置的密钥加密，目前无法读取：请把这些密钥加入 HSB_ENCRYPTION_PREVIOUS_KEYS 后再次运行。`);
  }
  if (needed.length > 0) {
    const verb = report.dryRun ? 'would be re-encrypted' : 'still need';
    lines.push(`Old keys still needed — values under ${list(report.stillNeeded, needed)} ${verb}: keep those keys in HSB_ENCRYPTION_PREVIOUS_KEYS${report.dryRun ? '' : ' and run again'}.`);
    lines.push(`旧密钥仍然需要：${list(report.stillNeeded, needed)} 尚未改用当前密钥加密，请保留 HSB_ENCRYPTION_PREVIOUS_KEYS 中的这些密钥${report.dryRun ? '' : '并再次运行'}。`);
  }
  if (!report.stoppedEarly && Object.keys(report.stillNeeded).length === 0) {
    lines.push(`Every value is encrypted with the current key ${report.currentKeyId}; no old key is needed any more.`);
    lines.push(`所有加密值均已使用当前密钥 ${report.currentKeyId}，不再需要任何旧密钥。`);
  }
  if (report.removable.length > 0 && Object.keys(report.stillNeeded).length === 0) {
    lines.push(`You may remove these keys from HSB_ENCRYPTION_PREVIOUS_KEYS: ${report.removable.join(', ')}.`);
    lines.push(`可从 HSB_ENCRYPTION_PREVIOUS_KEYS 中删除这些密钥：${report.removable.join('、')}。`);
  }
  return lines;
}

/** True when the run finished and no value needs an old key (the command's exit status 0). */
export function rotationComplete(report: RotationReport): boolean {
  return !report.stoppedEarly && Object.keys(report.stillNeeded).length === 0;
}
