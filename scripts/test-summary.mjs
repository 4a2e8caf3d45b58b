// The last lines of `npm test`: one recap of every run (Node/Dawn, Deno/wgpu), with each failure named
// and its first lines. CI logs are often read from their tail, and the Deno run's output would otherwise
// bury the Node run's failures.
//
// usage: node scripts/test-summary.mjs LABEL=REPORT.json:EXIT_STATUS ...
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

const MESSAGE_LINES = 12;

function firstLines(text) {
  const lines = stripVTControlCharacters(String(text)).split('\n');
  const kept = lines.slice(0, MESSAGE_LINES).map((line) => `      ${line}`);
  if (lines.length > MESSAGE_LINES) kept.push(`      … (${lines.length - MESSAGE_LINES} more lines)`);
  return kept.join('\n');
}

let anyFailed = false;
for (const spec of process.argv.slice(2)) {
  const match = /^([^=]+)=(.+):(\d+)$/.exec(spec);
  if (!match) throw new Error(`test-summary: cannot read "${spec}" (LABEL=REPORT.json:EXIT_STATUS)`);
  const [, label, path, exitText] = match;
  const exit = Number(exitText);
  if (!existsSync(path)) {
    console.log(`${label}: exit ${exit}, no report written (${path}): the run ended before vitest reported`);
    anyFailed = true;
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = report.numPendingTests ? `, ${report.numPendingTests} skipped` : '';
  const failedFiles = report.testResults.filter((file) => file.status === 'failed').length;
  const filesNote = failedFiles ? `, ${failedFiles} of ${report.testResults.length} files failed` : '';
  console.log(`${label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped}${filesNote}, exit ${exit}`);
  for (const file of report.testResults) {
    const name = relative(process.cwd(), file.name);
    const failedTests = file.assertionResults.filter((test) => test.status === 'failed');
    if (file.status === 'failed' && failedTests.length === 0) {
      console.log(`  FAILED ${name} (the file itself)\n${firstLines(file.message || 'no message')}`);
    }
    for (const test of failedTests) {
      console.log(`  FAILED ${name} > ${test.fullName}\n${firstLines(test.failureMessages.join('\n'))}`);
    }
  }
  if (report.numFailedTests === 0 && failedFiles === 0) {
    if (report.success === false) {
      console.log('  (vitest reported errors outside any test: see "Unhandled Errors" in its output above)');
    } else if (exit !== 0) {
      console.log(`  (no test failed, yet the run exited ${exit}: see its output above)`);
    }
  }
  if (exit !== 0 || report.success === false || report.numFailedTests > 0) anyFailed = true;
}
console.log(anyFailed ? 'npm test: FAILED' : 'npm test: passed');
