// Prints one plain closing line and fails when a suite ran no test or a test was skipped, todo or failed.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: todo, numTotalTests: total } = report;
const emptyFiles = report.testResults.filter((f) => f.assertionResults.length === 0).map((f) => f.name);
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped + todo} skipped`);
let ok = failed === 0 && total > 0;
if (skipped + todo > 0) {
  console.error(`${skipped + todo} test(s) were skipped or left as todo; CI requires every suite to run.`);
  ok = false;
}
if (emptyFiles.length) {
  console.error(`Test files that ran no test: ${emptyFiles.join(', ')}`);
  ok = false;
}
process.exit(ok ? 0 : 1);
