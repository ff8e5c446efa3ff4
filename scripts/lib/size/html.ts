import type { SizeReport } from "./report.js";
export function htmlReport(report: SizeReport): string {
  return JSON.stringify(report);
}
