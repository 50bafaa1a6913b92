namespace Gateway.Service.Operations.Dashboard;

/// <summary>
/// The dashboard's script: reads /ops/v1 (metadata only; never /api/v1), renders with textContent only (a server
/// string never becomes markup), refreshes every five seconds, and sends operator actions as JSON with a reason,
/// which a cross-site form cannot do.
/// </summary>
internal static class DashboardScript
{
    public const string JavaScript = """
        'use strict';
        (function () {
          const REFRESH_MS = 5000;
          const PROBLEM_STATES = ['Failed', 'RetryWaiting', 'Suspended'];
          const CIRCUITS = { closed: 'closed', 'half-open': 'half-open', open: 'open' };
          let canAct = false;
          let timer = null;
          let running = null;
          let refreshes = 0;

          function byId(id) { return document.getElementById(id); }

          function cell(text, field, className) {
            const td = document.createElement('td');
            td.textContent = text === null || text === undefined ? '' : String(text);
            if (field) td.dataset.field = field;
            if (className) td.className = className;
            return td;
          }

          function pad(n) { return String(n).padStart(2, '0'); }

          function clock(date) { return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()); }

          function utc(iso) { return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—'; }

          function age(iso) {
            if (!iso) return '—';
            let seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
            if (seconds < 60) return seconds + ' s';
            const minutes = Math.floor(seconds / 60);
            if (minutes < 60) return minutes + ' min';
            const hours = Math.floor(minutes / 60);
            if (hours < 48) return hours + ' h ' + (minutes % 60) + ' min';
            return Math.floor(hours / 24) + ' d';
          }

          async function getJson(path) {
            const response = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
            if (!response.ok) throw new Error(path.split('?')[0] + ' answered ' + response.status);
            return response.json();
          }

          function certificateBadge(certificate) {
            const badge = document.createElement('span');
            badge.className = 'cert level-' + (/^(ok|warn60|warn30|warn7|expired)$/.test(certificate.level) ? certificate.level : 'unknown');
            badge.dataset.role = certificate.role;
            badge.dataset.level = certificate.level;
            badge.textContent = certificate.role + ' ' + certificate.daysLeft + ' d';
            badge.title = certificate.subject + ', valid until ' + utc(certificate.notAfter);
            return badge;
          }

          function actionButton(label, action, path) {
            const button = document.createElement('button');
            button.type = 'button';
            button.textContent = label;
            button.dataset.action = action;
            button.addEventListener('click', function () { act(button, label, path); });
            return button;
          }

          function actionsCell(buttons) {
            const td = cell('', 'actions', 'act');
            if (canAct) buttons.forEach(function (button) { td.appendChild(button); });
            return td;
          }

          function renderPeers(peers, certificates, circuits) {
            const circuitOf = new Map(circuits.map(function (c) { return [c.peerId, c.state]; }));
            const rows = peers.map(function (peer) {
              const q = peer.queue;
              const row = document.createElement('tr');
              row.dataset.peer = peer.peerId;
              if (peer.suspended) row.className = 'suspended';
              const name = cell(peer.peerId, 'peer');
              name.title = peer.displayName + ' (' + peer.kind + ')';
              row.appendChild(name);
              const circuit = circuitOf.get(peer.peerId) || 'unknown';
              row.appendChild(cell(circuit, 'circuit', 'circuit-' + (CIRCUITS[circuit] || 'unknown')));
              row.appendChild(cell(peer.suspended ? 'yes' : 'no', 'suspended'));
              row.appendChild(cell(q.queued, 'queued', 'num'));
              row.appendChild(cell(q.inFlight, 'inFlight', 'num'));
              row.appendChild(cell(q.retryWaiting, 'retryWaiting', 'num'));
              row.appendChild(cell(q.failed, 'failed', q.failed > 0 ? 'num bad' : 'num'));
              row.appendChild(cell(q.suspended, 'held', 'num'));
              row.appendChild(cell(q.deliveredLastDay, 'deliveredLastDay', 'num'));
              row.appendChild(cell(age(q.oldestUndeliveredAt), 'oldestUndelivered'));
              row.appendChild(cell(q.lastDeliveredAt ? utc(q.lastDeliveredAt) : 'never', 'lastDelivered'));
              const certs = cell('', 'certificates', 'certificates');
              certificates.filter(function (c) { return !c.self && c.owner === peer.peerId; })
                .forEach(function (c) { certs.appendChild(certificateBadge(c)); });
              row.appendChild(certs);
              const path = '/ops/v1/peers/' + encodeURIComponent(peer.peerId);
              row.appendChild(actionsCell(peer.suspended
                ? [actionButton('Resume', 'resume', path + '/resume')]
                : [actionButton('Suspend', 'suspend', path + '/suspend')]));
              return row;
            });
            byId('peers').tBodies[0].replaceChildren(...rows);
            const own = byId('own-certificates');
            own.replaceChildren(...certificates.filter(function (c) { return c.self; }).map(certificateBadge));
          }

          function renderProblems(messages) {
            messages.sort(function (a, b) { return Date.parse(a.createdAt) - Date.parse(b.createdAt); });
            const rows = messages.map(function (message) {
              const row = document.createElement('tr');
              row.dataset.message = message.messageId;
              row.dataset.state = message.state;
              row.appendChild(cell(message.messageId, 'messageId', 'id'));
              row.appendChild(cell(message.recipient, 'peer'));
              row.appendChild(cell(message.messageType, 'type'));
              row.appendChild(cell(message.state, 'state', 'state-' + message.state));
              row.appendChild(cell(message.attempts, 'attempts', 'num'));
              row.appendChild(cell(message.lastError || '', 'lastError'));
              row.appendChild(cell(age(message.createdAt), 'age'));
              row.appendChild(cell(message.nextAttemptAt ? utc(message.nextAttemptAt) : '—', 'nextAttempt'));
              const path = '/ops/v1/messages/' + encodeURIComponent(message.messageId);
              const buttons = [];
              if (message.state === 'Failed') buttons.push(actionButton('Retry', 'retry', path + '/retry'));
              buttons.push(actionButton('Cancel', 'cancel', path + '/cancel'));
              row.appendChild(actionsCell(buttons));
              return row;
            });
            const body = byId('problems').tBodies[0];
            body.replaceChildren(...rows);
            byId('problems-empty').hidden = rows.length > 0;
          }

          function renderErasures(erasures) {
            const rows = erasures.map(function (erasure) {
              const row = document.createElement('tr');
              row.dataset.erasure = erasure.requestMessageId;
              row.appendChild(cell(erasure.peerId, 'peer'));
              row.appendChild(cell(erasure.conversationId, 'conversation', 'id'));
              row.appendChild(cell(erasure.requestMessageId, 'requestMessageId', 'id'));
              row.appendChild(cell(utc(erasure.requestedAt), 'requestedAt'));
              row.appendChild(cell(age(erasure.requestedAt), 'waiting'));
              return row;
            });
            const body = byId('erasures').tBodies[0];
            body.replaceChildren(...rows);
            byId('erasures-empty').hidden = rows.length > 0;
          }

          function renderBroker(broker) {
            const rows = broker.queues.map(function (queue) {
              const row = document.createElement('tr');
              row.dataset.queue = queue.queue;
              row.appendChild(cell(queue.queue, 'queue', 'id'));
              row.appendChild(cell(queue.peerId || '—', 'peer'));
              row.appendChild(cell(String(queue.messages), 'messages'));
              row.appendChild(cell(String(queue.consumers), 'consumers', queue.consumers === 0 ? 'bad' : ''));
              return row;
            });
            byId('broker').tBodies[0].replaceChildren(...rows);
            byId('broker-none').hidden = broker.configured;
          }

          async function load() {
            const reads = [
              getJson('/ops/v1/peers'),
              getJson('/ops/v1/certificates'),
              getJson('/ops/v1/circuits'),
              getJson('/ops/v1/erasures?outstanding=true'),
              getJson('/ops/v1/broker'),
            ].concat(PROBLEM_STATES.map(function (state) { return getJson('/ops/v1/messages?limit=200&state=' + state); }));
            try {
              const answers = await Promise.all(reads);
              renderPeers(answers[0], answers[1], answers[2]);
              renderErasures(answers[3]);
              renderBroker(answers[4]);
              renderProblems(answers.slice(5).flat());
              byId('error').hidden = true;
              byId('updated').textContent = 'updated at ' + clock(new Date());
              refreshes += 1;
              document.body.dataset.refreshes = String(refreshes);
            } catch (error) {
              byId('error').textContent = 'refresh failed: ' + error.message;
              byId('error').hidden = false;
            }
          }

          function refresh() {
            clearTimeout(timer);
            if (!running) {
              running = load().finally(function () {
                running = null;
                timer = setTimeout(refresh, REFRESH_MS);
              });
            }
            return running;
          }

          async function act(button, label, path) {
            const result = byId('action-result');
            const reason = byId('reason').value.trim();
            if (!reason) {
              result.textContent = 'Enter a reason first: it goes to the audit log.';
              result.className = 'error';
              byId('reason').focus();
              return;
            }
            button.disabled = true;
            try {
              const response = await fetch(path, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
                body: JSON.stringify({ reason: reason }),
                credentials: 'same-origin',
              });
              const answer = await response.json().catch(function () { return {}; });
              if (response.ok) {
                result.textContent = label + ': ' + answer.result + ' (' + answer.messages + ' message(s))';
                result.className = 'ok';
              } else {
                result.textContent = label + ' refused: ' + (answer.code || response.status) + (answer.detail ? ' — ' + answer.detail : '');
                result.className = 'error';
              }
            } catch (error) {
              result.textContent = label + ' failed: ' + error.message;
              result.className = 'error';
            }
            if (running) await running;
            await refresh();
          }

          async function start() {
            try {
              const me = await getJson('/ops/v1/me');
              canAct = me.role === 'operator';
              byId('node').textContent = '— ' + me.nodeId;
              byId('role').textContent = 'signed in as ' + me.role + (canAct ? '' : ' (read-only)');
            } catch (error) {
              byId('role').textContent = 'role unknown (read-only)';
            }
            document.body.classList.toggle('read-only', !canAct);
            byId('actions-bar').hidden = !canAct;
            await refresh();
          }

          document.addEventListener('DOMContentLoaded', start);
        })();
        """;
}
