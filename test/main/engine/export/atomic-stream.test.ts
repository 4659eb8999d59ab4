import * as realFs from 'node:fs/promises';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../../shared/contract/errors';
import { writeFileAtomicStream } from '../../../../main/engine/project/atomic-write';
import { randomId } from '../../../../main/engine/node-deps';
import { expectEngineError } from '../../../helpers/engine';
import { tempDir } from '../../../helpers/temp-dir';

const noSleep = async () => undefined;
const options = { randomId, sleep: noSleep };

describe('writing a file atomically from a stream of chunks (the CSV export)', () => {
  it('writes the chunks in order, then puts the file in place, leaving no temporary file', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'old', { mode: 0o600 });
    await writeFileAtomicStream(
      realFs,
      target,
      async (handle) => {
        // While the writer runs, the target is still the old file.
        expect(readFileSync(target, 'utf8')).toBe('old');
        for (const part of ['a,b\r\n', '1,2\r\n', '3,4\r\n']) await handle.write(Buffer.from(part));
      },
      options,
    );
    expect(readFileSync(target, 'utf8')).toBe('a,b\r\n1,2\r\n3,4\r\n');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('keeps the old file and removes the temporary one when the writer fails', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'old');
    const failure = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const error = await writeFileAtomicStream(
      realFs,
      target,
      async (handle) => {
        await handle.write(Buffer.from('half'));
        throw failure;
      },
      options,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/Cannot write "out.csv": the disk is full/);
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });

  it('passes a cancel through as it is, and a cancel after the last chunk still writes nothing', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.csv');
    await expectEngineError(
      writeFileAtomicStream(
        realFs,
        target,
        async () => {
          throw new EngineError('CANCELLED', 'Cancelled; nothing was changed.');
        },
        options,
      ),
      'CANCELLED',
    );
    const controller = new AbortController();
    await expectEngineError(
      writeFileAtomicStream(
        realFs,
        target,
        async (handle) => {
          await handle.write(Buffer.from('all of it'));
          controller.abort();
        },
        { ...options, signal: controller.signal },
      ),
      'CANCELLED',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says which folder is missing', async () => {
    const dir = tempDir();
    const error = await expectEngineError(writeFileAtomicStream(realFs, join(dir, 'nope', 'out.csv'), async () => undefined, options), 'NOT_FOUND');
    expect(error.message).toMatch(/nope.*does not exist/);
  });
});
