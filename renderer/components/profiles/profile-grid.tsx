import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type { Field, ProfileSortKey } from '../../../shared/contract/index';
import { formatFieldValue, rawFieldValue, subscriptionLabel } from '../../lib/format-value';
import { rowAt, shownRowAt } from '../../store/profiles/selectors';
import type { ProfileTableState } from '../../store/profiles/slice';
import { sourceCanSort, sourceExtras, type ExtraColumn, type TableRow } from '../../store/profiles/sources';
import { useActions, useApp } from '../../store/react';
import { gridTemplate, gridWidth, profileColumns, type ProfileColumn } from './columns';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;
/** Rows drawn beyond the visible ones, so a quick scroll shows rows, not gaps. */
const OVERSCAN = 6;
/**
 * Browsers cap an element's height (Chromium near 33 million pixels, Firefox lower); a
 * million rows of 28 px is close to that. Past this height the scroll bar is scaled: its
 * position maps to a row in proportion, and rows are drawn where the viewport is.
 */
const MAX_BODY_HEIGHT = 8_000_000;
/**
 * Rows are placed relative to the start of their block of this many rows, and the block is
 * moved as a whole (a transform), so scrolling changes one offset, never every row's
 * place, and no coordinate grows past what browsers can lay out.
 */
const BLOCK_ROWS = 50_000;

interface Viewport {
  readonly scrollTop: number;
  readonly height: number;
}

/** Where the rows are for a scroll position (see MAX_BODY_HEIGHT). */
function layout(total: number, viewport: Viewport) {
  const realHeight = total * ROW_HEIGHT;
  const bodyHeight = Math.min(realHeight, MAX_BODY_HEIGHT);
  const visibleHeight = Math.max(ROW_HEIGHT, viewport.height - HEADER_HEIGHT);
  const ratio = bodyHeight > visibleHeight ? (realHeight - visibleHeight) / (bodyHeight - visibleHeight) : 1;
  const realTop = viewport.scrollTop * ratio;
  return { bodyHeight, visibleHeight, ratio, realTop };
}

/**
 * The profiles of a database as a virtual table: only the rows in view (and a few more)
 * exist in the page, whatever the total; the store loads the pages they need. A scroll
 * step adds or drops a few rows and moves their block (see BLOCK_ROWS); the rows in view
 * stay as they are. Keyboard: arrows, Page Up/Down, Home/End move the current row; Enter opens its card.
 */
export function ProfileGrid({
  table,
  fields,
  stratumLabels,
  label = 'Profiles',
}: {
  table: ProfileTableState;
  fields: readonly Field[];
  /** Stratum keys as people read them ("gender = female"). */
  stratumLabels?: ReadonlyMap<string, string>;
  label?: string;
}) {
  const { showProfileRows, toggleProfileSort, openProfileCard } = useActions();
  const cardProfileId = useApp((s) => s.profileCard?.profileId ?? null);
  const ref = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Viewport>({ scrollTop: 0, height: 600 });
  const [active, setActive] = useState(0);
  // The source's kind decides the columns (a campaign's group and stratum; sorting); its ids do not.
  const extras = sourceExtras(table.source).join(',');
  const sortable = sourceCanSort(table.source);
  const columns = useMemo(
    () => profileColumns(fields, { extras: extras === '' ? [] : (extras.split(',') as ExtraColumn[]), sortable }),
    [fields, extras, sortable],
  );
  // Where each column's value is in a row's `values` (the page's field order).
  const valueIndexes = useMemo(
    () => columns.map((c) => (c.field ? table.fieldIds.indexOf(c.field.id) : -1)),
    [columns, table.fieldIds],
  );
  // The column widths once, as a custom property the header and every row read.
  const style = useMemo(() => ({ '--profile-columns': gridTemplate(columns) }) as CSSProperties, [columns]);
  const width = gridWidth(columns);
  const total = table.total ?? 0;
  const { bodyHeight, visibleHeight, ratio, realTop } = layout(total, viewport);
  const first = Math.max(0, Math.floor(realTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((realTop + visibleHeight) / ROW_HEIGHT) + OVERSCAN);

  const measure = useCallback(() => {
    const el = ref.current;
    if (el) setViewport({ scrollTop: el.scrollTop, height: el.clientHeight });
  }, []);

  useLayoutEffect(() => {
    measure();
    const el = ref.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [measure]);

  // A new order or search starts at the top.
  const queryKey = `${table.databaseId}|${JSON.stringify(table.source)}|${JSON.stringify(table.sort)}|${JSON.stringify(table.search)}`;
  useLayoutEffect(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setActive(0);
    measure();
  }, [queryKey, measure]);

  useEffect(() => {
    showProfileRows({ first: total === 0 ? 0 : first, last: total === 0 ? 60 : last });
  }, [first, last, total, table.generation, showProfileRows]);

  const onOpen = useCallback(
    (index: number, profileId: string) => {
      setActive(index);
      void openProfileCard(profileId);
    },
    [openProfileCard],
  );

  // Rendered before the frame is painted, so the rows never lag behind the scroll bar.
  const onScroll = () => flushSync(measure);

  /** Scrolls the minimum needed to show row `index`. */
  const reveal = (index: number) => {
    const el = ref.current;
    if (!el) return;
    const rowTop = index * ROW_HEIGHT;
    let target = realTop;
    if (rowTop < realTop) target = rowTop;
    else if (rowTop + ROW_HEIGHT > realTop + visibleHeight) target = rowTop + ROW_HEIGHT - visibleHeight;
    if (target !== realTop) el.scrollTop = target / ratio;
  };

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    setActive(next);
    reveal(next);
    // With a card open, it follows the current row.
    const row = rowAt(table, next);
    if (cardProfileId !== null && row) void openProfileCard(row.profileId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0 || event.target !== event.currentTarget) return;
    const pageRows = Math.max(1, Math.floor(visibleHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + pageRows,
      PageUp: active - pageRows,
      Home: 0,
      End: total - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      const row = rowAt(table, active);
      if (row) {
        event.preventDefault();
        void openProfileCard(row.profileId);
      }
    }
  };

  const rows: { index: number; row: TableRow | null }[] = [];
  for (let index = first; index <= last; index += 1) rows.push({ index, row: shownRowAt(table, index) });
  // The block's place in the body; with a scaled scroll bar, rows are drawn where the viewport is.
  const block = Math.floor(first / BLOCK_ROWS) * BLOCK_ROWS;
  const blockTop = block * ROW_HEIGHT + (ratio === 1 ? 0 : viewport.scrollTop - realTop);

  return (
    <div
      ref={ref}
      // While a new order is built, the old rows stay, dimmed, and the grid says it is busy.
      className={table.previousPages === null ? 'profile-grid' : 'profile-grid reordering'}
      aria-busy={table.previousPages !== null}
      role="grid"
      tabIndex={0}
      style={style}
      aria-label={label}
      aria-rowcount={total + 1}
      aria-colcount={columns.length}
      aria-activedescendant={active >= first && active <= last ? `profile-row-${active}` : undefined}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div className="profile-grid-header" role="row" aria-rowindex={1} style={{ width }}>
        {columns.map((column) => (
          <HeaderCell key={String(column.key)} column={column} sort={table.sort} onSort={toggleProfileSort} />
        ))}
      </div>
      <div className="profile-grid-body" role="rowgroup" style={{ height: bodyHeight, width }}>
        <div className="profile-grid-rows" style={{ transform: `translateY(${blockTop}px)` }}>
          {rows.map(({ index, row }) => (
            <GridRow
              key={index}
              index={index}
              top={(index - block) * ROW_HEIGHT}
              row={row}
              columns={columns}
              valueIndexes={valueIndexes}
              active={index === active}
              selected={row !== null && row.profileId === cardProfileId}
              onOpen={onOpen}
              stratumLabels={stratumLabels}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

interface HeaderCellProps {
  readonly column: ProfileColumn;
  readonly sort: ProfileTableState['sort'];
  readonly onSort: (key: ProfileSortKey) => void;
}

function HeaderCell({ column, sort, onSort }: HeaderCellProps) {
  const sorted = sort?.by === column.key ? sort.direction : null;
  const { key } = column;
  if (!column.sortable || key === 'group' || key === 'stratum' || key === 'variant') {
    return (
      <div role="columnheader" className={column.numeric ? 'profile-cell header-cell numeric' : 'profile-cell header-cell'} title={column.title}>
        <span className="sort-button static-header">
          <span className="sort-label">{column.label}</span>
        </span>
      </div>
    );
  }
  return (
    <div
      role="columnheader"
      className={column.numeric ? 'profile-cell header-cell numeric' : 'profile-cell header-cell'}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
      title={column.title}
    >
      <button type="button" className="sort-button" onClick={() => onSort(key)}>
        <span className="sort-label">{column.label}</span>
        <span className="sort-mark" aria-hidden="true">
          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
        </span>
      </button>
    </div>
  );
}

interface GridRowProps {
  readonly index: number;
  readonly top: number;
  readonly row: TableRow | null;
  readonly columns: readonly ProfileColumn[];
  readonly valueIndexes: readonly number[];
  readonly active: boolean;
  readonly selected: boolean;
  readonly onOpen: (index: number, profileId: string) => void;
  readonly stratumLabels: ReadonlyMap<string, string> | undefined;
}

/** One row; re-rendered only when its own data, place or state changes (a page arriving leaves the others alone). */
const GridRow = memo(function GridRow({ index, top, row, columns, valueIndexes, active, selected, onOpen, stratumLabels }: GridRowProps) {
  const className = `profile-row${index % 2 ? ' odd' : ''}${active ? ' active' : ''}${row ? '' : ' loading'}`;
  return (
    <div
      id={`profile-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={className}
      style={{ top }}
      onClick={row ? () => onOpen(index, row.profileId) : undefined}
    >
      {columns.map((column, c) => {
        if (!row) {
          return (
            <div key={String(column.key)} role="gridcell" className="profile-cell">
              <span className="cell-placeholder" />
            </div>
          );
        }
        if (column.key === 'profileId') {
          return (
            <div key="profileId" role="gridcell" className="profile-cell cell-id">
              {row.profileId}
            </div>
          );
        }
        if (column.key === 'subscription') {
          return (
            <div key="subscription" role="gridcell" className={`profile-cell cell-status status-${row.subscription}`}>
              {subscriptionLabel(row.subscription)}
            </div>
          );
        }
        if (column.key === 'group') {
          return (
            <div key="group" role="gridcell" className={`profile-cell cell-group group-${row.group ?? 'none'}`}>
              {row.group === 'control' ? 'LCG' : row.group === 'test' ? 'Test' : ''}
            </div>
          );
        }
        if (column.key === 'stratum') {
          const stratum = row.stratum === undefined ? '' : (stratumLabels?.get(row.stratum) ?? row.stratum);
          return (
            <div key="stratum" role="gridcell" className="profile-cell" title={stratum || undefined}>
              {stratum}
            </div>
          );
        }
        if (column.key === 'variant') {
          return (
            <div key="variant" role="gridcell" className="profile-cell">
              {row.variant ?? ''}
            </div>
          );
        }
        const value = row.values[valueIndexes[c] ?? -1] ?? null;
        const text = column.field ? formatFieldValue(column.field.type, value) : '';
        const raw = rawFieldValue(value);
        return (
          <div
            key={String(column.key)}
            role="gridcell"
            className={column.numeric ? 'profile-cell numeric' : 'profile-cell'}
            // The exact stored value (and the whole of a long one) on hover.
            title={raw === '' ? undefined : raw}
          >
            {text}
          </div>
        );
      })}
    </div>
  );
});
