import { basename } from 'node:path';
import { EngineError } from '../../shared/contract/errors';

/** Turns a Node file-system error into a message that says what went wrong and where. */
export function ioError(error: unknown, path: string, action: string): EngineError {
  if (error instanceof EngineError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const name = basename(path) || path;
  const details = { path, errno: code ?? null };
  switch (code) {
    case 'ENOENT':
      return new EngineError('NOT_FOUND', `Cannot ${action} "${name}": it does not exist (${path}).`, details);
    case 'EACCES':
    case 'EPERM':
      return new EngineError('IO_ERROR', `Cannot ${action} "${name}": permission denied (${path}).`, details);
    case 'ENOSPC':
      return new EngineError('IO_ERROR', `Cannot ${action} "${name}": the disk is full.`, details);
    case 'EROFS':
      return new EngineError('IO_ERROR', `Cannot ${action} "${name}": the disk is read-only.`, details);
    case 'EISDIR':
      return new EngineError('IO_ERROR', `Cannot ${action} "${name}": it is a folder, not a file.`, details);
    case 'ENOTDIR':
      return new EngineError('NOT_FOUND', `Cannot ${action} "${name}": a part of the path is not a folder.`, details);
    case 'EBUSY':
      return new EngineError('IO_ERROR', `Cannot ${action} "${name}": another program is using it.`, details);
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return new EngineError('IO_ERROR', `Cannot ${action} "${name}": ${reason}`, details);
    }
  }
}
