import Foundation
import RateLimiting
import SessionQueue
import Support

/// The operator's dashboard, rendered on the server: the queue by status and the time to drain it at the cap,
/// sessions per minute against the cap (last 24 hours and the latest run), the last runs, Veriff's decisions as a
/// funnel, and the rows that need a person with their last error and the requeue / hold / cancel actions.
///
/// Built only from typed reads that never carry a session url or token (``QueueRowSummary``,
/// ``DashboardOverview``, ...): no page can show one. Every value from the database is escaped.
struct DashboardPage: Sendable {
    var snapshot: DashboardSnapshot
    var filter: RowFilter
    var page: QueueRowPage
    /// Where the shown page starts (`nil`: the first page).
    var cursor: QueueRowCursor?
    /// The session's CSRF token for the forms; `nil` for a bearer request (a script needs none).
    var csrfToken: String?
    /// What the last action did, once.
    var notice: DashboardNotice?

    /// The sections `/live` refreshes, by element id.
    static func liveSections(_ snapshot: DashboardSnapshot) -> [(id: String, html: String)] {
        [("overview", overview(snapshot)), ("charts", charts(snapshot)), ("runs", runs(snapshot))]
    }

    func render(nonce: String) -> HTMLDocument {
        let overview = snapshot.overview
        let logout =
            csrfToken.map {
                """
                <form method="post" action="/logout"><input type="hidden" name="csrf" value="\(HTMLText.escape($0))">\
                <button type="submit" id="logout">Log out</button></form>
                """
            } ?? "<span>signed in with the bearer token</span>"
        let body = """
            <header class="top"><h1>provisioner</h1><div class="meta"><span>as of <span id="as-of">\
            \(DashboardFormat.clockWithSeconds(overview.now))</span></span>\(logout)</div></header>
            <main>
            <section id="overview" class="grid">\(Self.overview(snapshot))</section>
            <section id="charts" class="card">\(Self.charts(snapshot))</section>
            <section id="runs" class="card">\(Self.runs(snapshot))</section>
            <section id="attention" class="card">\(attention())</section>
            </main>
            """
        let script = DashboardStyle.script.replacingOccurrences(
            of: "%INITIAL%", with: snapshot.runIsWorking ? "5000" : "30000")
        return Self.document(title: "provisioner: dashboard", body: body, nonce: nonce, script: script)
    }

    /// A whole page around `body`, with the stylesheet and (optionally) the script under `nonce`.
    static func document(title: String, body: String, nonce: String, script: String?) -> HTMLDocument {
        let scriptElement = script.map { "<script nonce=\"\(nonce)\">\($0)</script>" } ?? ""
        let html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(HTMLText.escape(title))</title>
            <style nonce="\(nonce)">\(DashboardStyle.css)</style>
            </head>
            <body>
            \(body)
            \(scriptElement)
            </body>
            </html>

            """
        return HTMLDocument(html: html, nonce: nonce)
    }

    // MARK: Overview

    static func overview(_ snapshot: DashboardSnapshot) -> String {
        queueCard(snapshot) + drainCard(snapshot) + funnelCard(snapshot.overview.funnel)
    }

    private static func queueCard(_ snapshot: DashboardSnapshot) -> String {
        let overview = snapshot.overview
        var cells = QueueRowStatus.allCases.map { status in
            (status.rawValue, status.rawValue, overview[status], status == .failed || status == .held)
        }
        cells.append(("in-doubt", "in doubt", overview.inDoubt, true))
        let items = cells.map { key, label, value, attention in
            """
            <div data-status="\(key)"\(attention && value > 0 ? " class=\"attn\"" : "")><dt>\(label)</dt>\
            <dd id="count-\(key)" data-count="\(value)">\(DashboardFormat.count(value))</dd></div>
            """
        }.joined()
        let retry =
            overview.nextRetryAt.map {
                "next retry \(DashboardFormat.clock($0)) UTC (\(DashboardFormat.relative($0, now: overview.now)))"
            } ?? "no retry scheduled"
        return """
            <div class="card"><h2>Queue</h2><dl class="counts">\(items)</dl>
            <p class="muted"><small>Due now \(DashboardFormat.count(overview.dueNow)) · \(retry)</small></p></div>
            """
    }

    private static func drainCard(_ snapshot: DashboardSnapshot) -> String {
        let overview = snapshot.overview
        let pending = overview[.pending]
        let drain: String
        let explanation: String
        if let cap = snapshot.cap {
            drain = pending == 0 ? "nothing pending" : DashboardFormat.duration(cap.timeToSend(pending))
            explanation = """
                \(DashboardFormat.count(pending)) pending rows at <strong id="cap-value" \
                data-cap="\(DashboardFormat.rate(cap.perMinute))">\(DashboardFormat.rate(cap.perMinute))/min</strong>: \
                <span id="cap-source">\(HTMLText.escape(cap.explanation))</span>.
                """
        } else {
            drain = pending == 0 ? "nothing pending" : "unknown"
            explanation = """
                \(DashboardFormat.count(pending)) pending rows; <span id="cap-source">no cap known yet (no run has \
                recorded one, and Veriff taught none)</span>.
                """
        }
        var run = "<p class=\"muted\">No run yet.</p>"
        if let latest = overview.latestRun {
            if latest.isAlive {
                run = """
                    <p id="run-state" class="live" data-running="true">Run #\(latest.id) is working on \
                    \(HTMLText.escape(latest.host)): \(DashboardFormat.count(latest.counts.provisioned)) provisioned \
                    so far (last heartbeat \(DashboardFormat.relative(latest.heartbeatAt, now: overview.now))).</p>
                    """
            } else {
                let ended = latest.finishedAt.map { DashboardFormat.relative($0, now: overview.now) } ?? "—"
                run = """
                    <p id="run-state" class="muted" data-running="false">No run is working. The latest, \
                    #\(latest.id), ended \(ended): \(HTMLText.escape(Self.outcomeLabel(latest))).</p>
                    """
            }
        }
        let advisory = snapshot.learnedCaps.first.map {
            "<p class=\"warn\"><small>\(HTMLText.escape($0.advisory()))</small></p>"
        }
        return """
            <div class="card"><h2>Time to drain</h2><p class="big" id="drain-time">\(drain)</p>
            <p>\(explanation)</p>\(run)\(advisory ?? "")
            <p class="muted"><small>A run sends at the cap less its headroom (2% by default), so it takes a little \
            longer.</small></p></div>
            """
    }

    private static func funnelCard(_ funnel: DecisionFunnel) -> String {
        let base = max(funnel.sessions, 1)
        func row(_ key: String, _ label: String, _ value: Int) -> String {
            let share = Double(value) / Double(base) * 100
            return """
                <tr data-stage="\(key)"><td>\(label)</td><td class="barcell"><svg class="bar" viewBox="0 0 100 10" \
                preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10"/>\
                <rect class="fill" width="\(String(format: "%.1f", min(share, 100)))" height="10"/></svg></td>\
                <td class="num" data-count="\(value)">\(DashboardFormat.count(value))</td>\
                <td class="num muted">\(funnel.sessions == 0 ? "—" : String(format: "%.0f%%", share))</td></tr>
                """
        }
        return """
            <div class="card"><h2>Decisions</h2><p class="muted"><small>From Veriff's webhooks: how far the \
            end-users got with the sessions handed out.</small></p>
            <table class="funnel" id="funnel"><tbody>\
            \(row("sessions", "Sessions handed out", funnel.sessions))\(row("started", "Started", funnel.started))\
            \(row("submitted", "Submitted", funnel.submitted))\(row("decided", "Decided", funnel.decided))\
            </tbody></table>
            <h3>How they ended</h3>
            <table class="funnel" id="decisions"><tbody>\
            \(row("approved", "Approved", funnel.approved))\(row("declined", "Declined", funnel.declined))\
            \(row("resubmission", "Resubmission requested", funnel.resubmissionRequested))\
            \(row("expired", "Expired / abandoned", funnel.expiredOrAbandoned))\
            \(row("review", "In review", funnel.review))</tbody></table></div>
            """
    }

    // MARK: Charts

    static func charts(_ snapshot: DashboardSnapshot) -> String {
        let cap = snapshot.cap
        let capNote =
            cap.map { "cap \(DashboardFormat.rate($0.perMinute))/min (\(HTMLText.escape($0.explanation)))" }
            ?? "no cap known"
        let day = snapshot.lastDay
        var html = """
            <h2>Sessions per minute</h2>
            <h3>Last 24 hours</h3>
            \(ThroughputChart(id: "chart-day", title: "Sessions created per minute, last 24 hours", series: day, capPerMinute: cap?.perMinute).render())
            <p class="muted"><small>\(summary(day, capNote: capNote))</small></p>
            """
        if let run = snapshot.overview.latestRun, let series = snapshot.latestRun {
            let state = run.isAlive ? "working now" : Self.outcomeLabel(run)
            let runCap = run.capPerMinute.map { "cap \(DashboardFormat.rate($0))/min as started" } ?? "no cap given"
            html += """
                <h3>Run #\(run.id) (\(HTMLText.escape(state)))</h3>
                \(ThroughputChart(id: "chart-run", title: "Sessions created per minute in run \(run.id)", series: series, capPerMinute: cap?.perMinute ?? run.capPerMinute).render())
                <p class="muted"><small>\(summary(series, capNote: runCap))</small></p>
                """
        }
        return html
    }

    private static func summary(_ series: SessionsPerMinute, capNote: String) -> String {
        var parts = ["\(DashboardFormat.count(series.total)) sessions created"]
        if let peak = series.peak {
            parts.append(
                "busiest minute \(DashboardFormat.clock(peak.start)) UTC with \(DashboardFormat.count(peak.created))")
        }
        parts.append(capNote)
        return parts.joined(separator: " · ")
    }

    // MARK: Runs

    static func outcomeLabel(_ run: DashboardRun) -> String {
        if run.outcome == "running" && !run.isAlive { return "running? no heartbeat for 5 minutes" }
        return run.outcome.replacingOccurrences(of: "_", with: " ")
    }

    private static func outcomeClass(_ run: DashboardRun) -> String {
        switch run.outcome {
        case "running": run.isAlive ? "live" : "bad"
        case "completed": "good"
        case "rows_failed", "interrupted": "warn"
        default: "bad"
        }
    }

    static func runs(_ snapshot: DashboardSnapshot) -> String {
        let overview = snapshot.overview
        guard !overview.runs.isEmpty else { return "<h2>Last runs</h2><p class=\"muted\">No run yet.</p>" }
        let rows = overview.runs.map { run in
            let ended =
                run.finishedAt.map { DashboardFormat.dateTime($0) }
                ?? (run.isAlive ? "beat \(DashboardFormat.relative(run.heartbeatAt, now: overview.now))" : "—")
            let counts = run.counts
            return """
                <tr data-run-id="\(run.id)"><td class="num">#\(run.id)</td>\
                <td>\(HTMLText.escape(run.host)) <small>pid \(run.pid)</small></td>\
                <td>\(DashboardFormat.dateTime(run.startedAt))</td><td>\(ended)</td>\
                <td><span class="badge \(outcomeClass(run))">\(HTMLText.escape(outcomeLabel(run)))</span></td>\
                <td class="num">\(run.capPerMinute.map { DashboardFormat.rate($0) } ?? "—")</td>\
                <td class="num">\(DashboardFormat.count(counts.claimed))</td>\
                <td class="num">\(DashboardFormat.count(counts.provisioned))</td>\
                <td class="num">\(DashboardFormat.count(counts.failed))</td>\
                <td class="num">\(DashboardFormat.count(counts.invalid))</td>\
                <td class="num">\(DashboardFormat.count(counts.rateLimited))</td>\
                <td class="num">\(DashboardFormat.count(counts.inDoubt))</td>\
                <td class="error">\(HTMLText.escape(run.message ?? ""))</td></tr>
                """
        }.joined()
        return """
            <h2>Last runs</h2><div class="scroll"><table id="runs-table"><thead><tr><th>run</th><th>host</th>\
            <th>started</th><th>ended</th><th>how it ended</th><th class="num">cap/min</th><th class="num">claimed</th>\
            <th class="num">provisioned</th><th class="num">failed</th><th class="num">invalid</th>\
            <th class="num">429s</th><th class="num">in doubt</th><th>message</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
    }

    // MARK: Rows that need a person

    private func attention() -> String {
        let overview = snapshot.overview
        let counts: [RowFilter: Int?] = [
            .all: nil, .failed: overview[.failed], .held: overview[.held], .inDoubt: overview.inDoubt,
        ]
        let tabs = RowFilter.allCases.map { tab in
            let count = (counts[tab] ?? nil).map { " (\(DashboardFormat.count($0)))" } ?? ""
            return """
                <a href="\(HTMLText.escape(tab.path()))" data-filter="\(tab.rawValue)"\(tab == filter ? " aria-current=\"page\"" : "")>\
                \(tab.label)\(count)</a>
                """
        }.joined()
        let now = overview.now
        let rows = page.rows.map { row in Self.row(row, now: now) }.joined()
        let table =
            page.rows.isEmpty
            ? "<p class=\"muted\" id=\"no-rows\">Nothing here needs a person.</p>"
            : """
            <div class="scroll"><table class="rows" id="rows-table"><thead><tr><th><span class="muted">pick</span></th>\
            <th>row</th><th>state</th><th class="num">attempts</th><th>last error</th><th>vendorData</th>\
            <th>changed</th><th>actions</th></tr></thead><tbody>\(rows)</tbody></table></div>
            """
        var pages: [String] = []
        if cursor != nil {
            pages.append("<a href=\"\(HTMLText.escape(filter.path()))\" id=\"first-page\">← first page</a>")
        }
        if let next = page.next {
            pages.append(
                "<a href=\"\(HTMLText.escape(filter.path(after: next)))\" id=\"next-page\" rel=\"next\">next page →</a>"
            )
        }
        let csrf = csrfToken.map { "<input type=\"hidden\" name=\"csrf\" value=\"\(HTMLText.escape($0))\">" } ?? ""
        let after = cursor.map { "<input type=\"hidden\" name=\"after\" value=\"\($0.text)\">" } ?? ""
        return """
            <h2>Rows that need a person</h2>
            <nav class="tabs" aria-label="filter by state">\(tabs)</nav>
            \(noticeHTML())
            <form method="post" action="/rows/requeue" id="rows-form">\(csrf)\
            <input type="hidden" name="state" value="\(filter.rawValue)">\(after)
            <div class="bulk"><label>Reason <input type="text" name="reason" \
            maxlength="\(DashboardLimits.maximumReasonLength)" placeholder="optional, logged">\
            </label><span class="muted">picked rows:</span>\
            <button type="submit" formaction="/rows/requeue" id="bulk-requeue">Requeue</button>\
            <button type="submit" formaction="/rows/hold" id="bulk-hold">Hold</button>\
            <button type="submit" formaction="/rows/cancel" id="bulk-cancel" class="danger" \
            data-confirm="Cancel the picked rows? They will never be sent (requeue takes them back).">Cancel</button>\
            </div>
            \(table)
            </form>
            <nav class="pages">\(pages.joined())</nav>
            <p class="muted"><small>Requeue: back to pending, due now, attempts reset, in doubt cleared (look the \
            session up by vendorData first). Hold: kept from being sent. Cancel: never sent. Rows a live runner \
            holds and provisioned rows are left alone. Every action is recorded in the attempts log with who asked.\
            </small></p>
            """
    }

    private static func row(_ row: QueueRowSummary, now: Date) -> String {
        let transition = QueueRowTransition.Row(
            status: row.status, inDoubt: row.inDoubt,
            leaseIsLive: row.status == .claimed && (row.leaseExpiresAt.map { $0 > now } ?? false),
            isDue: row.nextAttemptAt <= now)
        let buttons = QueueRowAction.allCases.compactMap { action -> String? in
            guard case .change = QueueRowTransition.decide(action, for: transition) else { return nil }
            let confirm =
                action == .cancel
                ? " data-confirm=\"Cancel row #\(row.id)? It will never be sent (requeue takes it back).\"" : ""
            return """
                <button type="submit" name="row" value="\(row.id)" formaction="/rows/\(action.rawValue)" \
                class="act-\(action.rawValue)\(action == .cancel ? " danger" : "")"\(confirm)>\
                \(action.rawValue.capitalized)</button>
                """
        }.joined()
        var state = "<span class=\"badge \(row.status == .failed ? "bad" : "warn")\">\(row.status.rawValue)</span>"
        if row.inDoubt { state += " <span class=\"badge warn\">in doubt</span>" }
        if row.status == .pending && row.nextAttemptAt > now {
            state += " <small>retry \(DashboardFormat.relative(row.nextAttemptAt, now: now))</small>"
        }
        let code = row.lastErrorCode.map { "<code>\(HTMLText.escape($0))</code> " } ?? ""
        let error = row.lastError.map { HTMLText.escape($0) } ?? "<span class=\"muted\">—</span>"
        return """
            <tr data-row-id="\(row.id)" data-status="\(row.status.rawValue)"><td><input type="checkbox" name="id" \
            value="\(row.id)" aria-label="pick row \(row.id)"></td><td data-label="row" class="num">#\(row.id)</td>\
            <td data-label="state">\(state)</td><td data-label="attempts" class="num">\(row.attempts)</td>\
            <td data-label="last error" class="error">\(code)\(error)</td>\
            <td data-label="vendorData">\(HTMLText.escape(row.vendorData ?? "—"))</td>\
            <td data-label="changed"><time datetime="\(DashboardFormat.iso(row.updatedAt))">\
            \(DashboardFormat.relative(row.updatedAt, now: now))</time></td>\
            <td data-label="actions" class="actions">\(buttons)</td></tr>
            """
    }

    private func noticeHTML() -> String {
        guard let notice else { return "" }
        switch notice.kind {
        case .problem(let text):
            return "<p class=\"notice problem\" id=\"notice\" role=\"status\">\(HTMLText.escape(text))</p>"
        case .result(let result):
            let verb = result.action.pastTense.capitalized
            let changed = result.changed.map { "#\($0.id)" }
            var text = "\(verb) \(result.changed.count) row\(result.changed.count == 1 ? "" : "s")"
            if !changed.isEmpty {
                text += " (\(changed.prefix(20).joined(separator: ", "))\(changed.count > 20 ? ", …" : ""))"
            }
            text += "."
            if !result.skipped.isEmpty {
                let skipped = result.skipped.prefix(10).map { "#\($0.id): \($0.reason.description)" }
                text +=
                    " Left alone: " + skipped.joined(separator: "; ") + (result.skipped.count > 10 ? "; …" : "") + "."
            }
            text += " Recorded as \(result.actor)."
            return "<p class=\"notice\" id=\"notice\" role=\"status\">\(HTMLText.escape(text))</p>"
        }
    }
}
