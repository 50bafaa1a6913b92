namespace Gateway.Service.Operations.Dashboard;

/// <summary>The dashboard's style sheet: certificate warning levels (60/30/7 days) and states as classes.</summary>
internal static class DashboardStyles
{
    public const string Css = """
        :root { --ok: #1b7f3b; --warn60: #8a6d00; --warn30: #b35900; --warn7: #c0152f; --expired: #7a0019; --line: #d8dde3; }
        * { box-sizing: border-box; }
        [hidden] { display: none !important; }
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 1.5rem 2rem; color: #1d232a; background: #f7f8fa; }
        header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; border-bottom: 2px solid #27415e; margin-bottom: 1rem; }
        h1 { font-size: 1.4rem; margin: 0.8rem 0; color: #27415e; }
        h2 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
        h2 small { font-weight: normal; color: #5b6672; }
        .status span { margin-left: 1rem; }
        #updated { color: #5b6672; font-variant-numeric: tabular-nums; }
        .error { color: var(--warn7); font-weight: 600; }
        .ok { color: var(--ok); }
        table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
        th, td { padding: 0.35rem 0.55rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.bad { color: var(--warn7); font-weight: 700; }
        td.id { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
        tr.suspended td { background: #fff6e0; }
        .circuit-open { color: var(--warn7); font-weight: 700; }
        .circuit-half-open { color: var(--warn30); font-weight: 600; }
        .circuit-closed { color: var(--ok); }
        .state-Failed { color: var(--warn7); font-weight: 600; }
        .state-RetryWaiting { color: var(--warn30); }
        .state-Suspended { color: var(--warn60); }
        .cert { display: inline-block; margin: 0 0.3rem 0.2rem 0; padding: 0.05rem 0.4rem; border-radius: 0.6rem; font-size: 0.85em; white-space: nowrap; border: 1px solid currentColor; }
        .level-ok { color: var(--ok); }
        .level-warn60 { color: var(--warn60); background: #fff8d6; }
        .level-warn30 { color: var(--warn30); background: #ffe9d1; font-weight: 600; }
        .level-warn7 { color: #fff; background: var(--warn7); font-weight: 700; }
        .level-expired { color: #fff; background: var(--expired); font-weight: 700; text-decoration: line-through; }
        .actions-bar { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; padding: 0.6rem; background: #fff; border: 1px solid var(--line); }
        .actions-bar input { min-width: 22rem; padding: 0.3rem; }
        button { margin-right: 0.3rem; padding: 0.2rem 0.7rem; cursor: pointer; border: 1px solid #27415e; background: #fff; color: #27415e; border-radius: 3px; }
        button:hover { background: #27415e; color: #fff; }
        button:disabled { opacity: 0.5; cursor: wait; }
        body.read-only .act { display: none; }
        .empty, .note { color: #5b6672; }
        footer { margin-top: 2rem; border-top: 1px solid var(--line); }
        """;
}
