import { CAMPAIGN_STATUS_LABELS } from '../../../shared/domain/campaign-status';
import { formatBytes, formatClock, formatCount } from '../../../shared/format';
import { selectOpenProject } from '../../store/project/selectors';
import { useActions, useApp } from '../../store/react';
import { formatInstant } from '../../store/start/selectors';
import { ProjectForm } from './project-form';

/** The project page: what it is called, where it lives, and what it holds. */
export function OverviewPage() {
  const project = useApp(selectOpenProject);
  const info = useApp((s) => s.info);
  const { navigate } = useActions();
  if (!project) return null;
  return (
    <div className="overview">
      <h2 className="page-title">Overview</h2>
      <section className="panel" aria-labelledby="overview-project">
        <h3 id="overview-project" className="panel-title">
          Project
        </h3>
        <ProjectForm project={project} />
      </section>

      <section className="panel" aria-labelledby="overview-file">
        <h3 id="overview-file" className="panel-title">
          File
        </h3>
        <dl className="facts">
          <dt>Location</dt>
          <dd className={project.path === null ? undefined : 'fact-path'}>
            {project.path ?? 'Not saved yet — use Save as… to choose a file.'}
          </dd>
          <dt>Size</dt>
          <dd>{info?.sizeBytes == null ? '—' : formatBytes(info.sizeBytes)}</dd>
          <dt>File format</dt>
          <dd>Version {project.schemaVersion}</dd>
          <dt>Created</dt>
          <dd>{info ? `${formatInstant(info.createdAt)} with Campaign Planner ${info.createdWith}` : '—'}</dd>
          <dt>Project clock</dt>
          <dd>{formatClock(project.clock)}</dd>
        </dl>
      </section>

      <section className="panel" aria-labelledby="overview-databases">
        <h3 id="overview-databases" className="panel-title">
          Profile databases
        </h3>
        {info && info.databases.length === 0 && <p className="empty-note">This project has no profile databases yet.</p>}
        {info && info.databases.length > 0 && (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="numeric">
                  Profiles
                </th>
              </tr>
            </thead>
            <tbody>
              {info.databases.map((db) => (
                <tr key={db.id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => navigate({ page: 'database', databaseId: db.id, tab: 'profiles' })}>
                      {db.name}
                    </button>
                  </td>
                  <td className="numeric">{formatCount(db.profileCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="panel" aria-labelledby="overview-campaigns">
        <h3 id="overview-campaigns" className="panel-title">
          Campaigns
        </h3>
        {info && info.campaigns.length === 0 && <p className="empty-note">This project has no campaigns yet.</p>}
        {info && info.campaigns.length > 0 && (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Database</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {info.campaigns.map((c) => (
                <tr key={c.id}>
                  <td>
                    <button type="button" className="link-button" onClick={() => navigate({ page: 'campaign', campaignId: c.id, tab: 'overview' })}>
                      {c.name}
                    </button>
                  </td>
                  <td>{c.databaseName}</td>
                  <td>{CAMPAIGN_STATUS_LABELS[c.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
