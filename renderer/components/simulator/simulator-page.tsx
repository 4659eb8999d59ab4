import { SimulatorView } from './simulator-view';

/** The Simulator of the left navigation: any campaign or segment of the project. */
export function SimulatorPage() {
  return (
    <div className="detail-page simulator-page">
      <header className="page-heading">
        <h2 className="page-title">LCG simulator</h2>
        <p className="section-note">How large the local control group must be to see an effect, on the real audience and the exact split.</p>
      </header>
      <SimulatorView pickAudience />
    </div>
  );
}
