import { EngineError } from '../../shared/contract/errors';
import type { EngineEventMessage } from '../../shared/contract/events';
import type { ProjectState } from '../../shared/contract/project';
import { RecentProjects } from './app/recent-projects';
import { RecoveryStore } from './app/recovery-store';
import type { EngineDeps } from './deps';
import type { ProjectSession } from './project/session';
import { guardProjectSize } from './project/size-ceiling';

/** What the engine holds between calls: the open project and the per-user stores. */
export class EngineState {
  private current: ProjectSession | null = null;
  readonly recent: RecentProjects;
  readonly recovery: RecoveryStore;
  /** Long operations under way (or queued), by operation id, for `operation/cancel`. */
  readonly operations = new Map<string, AbortController>();

  constructor(
    readonly deps: EngineDeps,
    private readonly emit: (message: EngineEventMessage) => void,
  ) {
    this.recent = new RecentProjects(deps);
    this.recovery = new RecoveryStore(deps);
  }

  get session(): ProjectSession | null {
    return this.current;
  }

  requireSession(): ProjectSession {
    if (!this.current) throw new EngineError('NO_PROJECT', 'No project is open. Create or open one first.');
    return this.current;
  }

  projectState(): ProjectState {
    return this.current ? this.current.state() : { open: false };
  }

  /** Refuses to drop unsaved changes unless the caller confirmed it. */
  ensureCanDrop(discard: boolean | undefined): void {
    const session = this.current;
    if (session?.dirty && !discard) {
      throw new EngineError(
        'UNSAVED_CHANGES',
        `"${session.state().name}" has unsaved changes. Save them, or confirm that they may be discarded.`,
        { sessionId: session.id },
      );
    }
  }

  /**
   * Makes `next` the open project (or none). The previous project's recovery copy goes
   * with it: its owner either saved or chose to discard the changes.
   */
  async replaceSession(next: ProjectSession | null): Promise<void> {
    const previous = this.current;
    this.current = next;
    // No change may make the open project larger than the engine can open again.
    if (next) guardProjectSize(next.db, () => this.deps.maxProjectBytes);
    if (previous && previous !== next) {
      previous.close();
      await this.recovery.discard(previous.id).catch(() => undefined);
    }
    this.emitProjectChanged();
  }

  emitProjectChanged(): void {
    this.emit({ event: 'project/changed', payload: this.projectState() });
  }

  emitEvent(message: EngineEventMessage): void {
    this.emit(message);
  }
}
