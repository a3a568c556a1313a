import { useState } from 'react';
import type { AccountView, SessionUser } from '../../../app/collector-app';
import type { TaskState } from '../../../domain/account-state';
import { formatDateTime } from '../../common/format';
import { TASK_STATUS_LABELS } from '../../common/labels';
import { CloseTaskForm } from '../forms/CloseTaskForm';
import { InlineAction } from './InlineAction';
import { Earlier, ItemSection } from './ItemSection';

/** The account's tickler tasks (follow-ups), open ones by due time; an open one is closed as done or skipped. */
export function TaskList({ view, user, asOf }: { readonly view: AccountView; readonly user: SessionUser; readonly asOf: string }) {
  const [message, setMessage] = useState<string | null>(null);
  const tasks = view.state.tasks;
  if (tasks.length === 0 && message === null) return null;
  const open = tasks.filter((t) => t.status === 'open').sort((a, b) => (a.dueAt < b.dueAt ? -1 : 1));
  const closed = tasks.filter((t) => t.status !== 'open').sort((a, b) => ((a.closedAt ?? a.dueAt) < (b.closedAt ?? b.dueAt) ? 1 : -1));
  const mayClose = user.role !== 'viewer';
  const item = (t: TaskState) => <TaskItem key={t.id} task={t} overdue={t.status === 'open' && t.dueAt < asOf} accountNumber={view.account.number} mayClose={mayClose} onDone={setMessage} />;
  return (
    <ItemSection id="tasks" title="Tickler tasks" message={message}>
      {open.length === 0 ? <p className="muted">No open tickler task.</p> : <ul className="plain-list item-list">{open.map(item)}</ul>}
      <Earlier count={closed.length} what="tickler tasks">
        {closed.map(item)}
      </Earlier>
    </ItemSection>
  );
}

interface ItemProps {
  readonly task: TaskState;
  readonly overdue: boolean;
  readonly accountNumber: string;
  readonly mayClose: boolean;
  readonly onDone: (m: string) => void;
}

function TaskItem({ task: t, overdue, accountNumber, mayClose, onDone }: ItemProps) {
  const descId = `task-${t.id}`;
  return (
    <li className="item">
      <p id={descId}>
        <span className={overdue ? 'flag flag-bad' : t.status === 'open' ? 'flag flag-promise' : 'flag'}>{overdue ? 'Overdue' : (TASK_STATUS_LABELS[t.status] ?? t.status)}</span>{' '}
        <strong>Due {formatDateTime(t.dueAt)}</strong> for {t.fact.assignee}
        {t.fact.note !== '' && ` · ${t.fact.note}`}
      </p>
      {t.closedAt !== undefined && <p className="muted small">Closed {formatDateTime(t.closedAt)}</p>}
      {t.status === 'open' && mayClose && (
        <InlineAction label="Close task…" describedBy={descId}>
          {(close) => (
            <CloseTaskForm
              accountNumber={accountNumber}
              taskId={t.id}
              onDone={(m) => {
                close();
                onDone(m);
              }}
            />
          )}
        </InlineAction>
      )}
    </li>
  );
}
