// The `cplan` executable (bundled to dist/cli/cplan.cjs).
import { runCli } from './cplan';

void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
