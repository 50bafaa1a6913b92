namespace Gateway.Service.Operations.Dashboard;

/// <summary>
/// The operator dashboard's markup (DESIGN §10): empty tables that <see cref="DashboardScript"/> fills from
/// /ops/v1 every five seconds. No inline script or style, so the Content-Security-Policy can forbid both.
/// </summary>
internal static class DashboardPage
{
    public const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="referrer" content="no-referrer">
          <title>Gateway operations</title>
          <link rel="stylesheet" href="/ops/assets/dashboard.css">
          <script src="/ops/assets/dashboard.js" defer></script>
        </head>
        <body>
          <header>
            <h1>Gateway operations <span id="node"></span></h1>
            <p class="status">
              <span id="role"></span>
              <span id="updated">loading…</span>
              <span id="error" class="error" hidden></span>
            </p>
          </header>

          <section id="actions-bar" class="actions-bar" hidden>
            <label for="reason">Reason for actions (goes to the audit log; no personal data)</label>
            <input id="reason" type="text" maxlength="200" autocomplete="off" placeholder="e.g. partner back online">
            <span id="action-result" role="status"></span>
          </section>

          <section>
            <h2>Peers</h2>
            <table id="peers">
              <thead>
                <tr>
                  <th>Peer</th>
                  <th>Circuit</th>
                  <th>Suspended</th>
                  <th class="num">Queued</th>
                  <th class="num">In flight</th>
                  <th class="num">Retry-waiting</th>
                  <th class="num">Failed</th>
                  <th class="num">Held</th>
                  <th class="num">Delivered 24 h</th>
                  <th>Oldest undelivered</th>
                  <th>Last success</th>
                  <th>Certificates (days left)</th>
                  <th class="act">Actions</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>
          </section>

          <section>
            <h2>This node's certificates</h2>
            <p id="own-certificates" class="certificates"></p>
          </section>

          <section>
            <h2>Problem messages <small>(failed, retry-waiting, suspended)</small></h2>
            <table id="problems">
              <thead>
                <tr>
                  <th>Message</th>
                  <th>Peer</th>
                  <th>Type</th>
                  <th>State</th>
                  <th class="num">Attempts</th>
                  <th>Last error</th>
                  <th>Age</th>
                  <th>Next attempt</th>
                  <th class="act">Actions</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>
            <p id="problems-empty" class="empty" hidden>No problem messages.</p>
          </section>

          <section>
            <h2>Outstanding erasure confirmations</h2>
            <table id="erasures">
              <thead>
                <tr>
                  <th>Peer</th>
                  <th>Conversation</th>
                  <th>Request message</th>
                  <th>Requested</th>
                  <th>Waiting for</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>
            <p id="erasures-empty" class="empty" hidden>No erasure confirmation outstanding.</p>
          </section>

          <section>
            <h2>Broker</h2>
            <table id="broker">
              <thead>
                <tr>
                  <th>Queue</th>
                  <th>Peer</th>
                  <th>Messages</th>
                  <th>Consumers</th>
                </tr>
              </thead>
              <tbody></tbody>
            </table>
            <p id="broker-none" class="note" hidden>In-memory transport: no broker queues on this node.</p>
          </section>

          <footer>
            <p class="note">Metadata only: this page never shows referral content. Refreshes every 5 seconds.</p>
          </footer>
        </body>
        </html>
        """;
}
