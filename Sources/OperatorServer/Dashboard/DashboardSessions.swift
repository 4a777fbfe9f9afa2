import Synchronization

/// The dashboard's signed-in sessions, in this process's memory only: a restart signs everyone out.
///
/// A session ends after ``Settings/idleTimeout`` without a request, after ``Settings/lifetime`` in any case, or at
/// logout. At most ``Settings/maximum`` live at once (the oldest goes first); only someone who knows the dashboard
/// token can create one.
final class DashboardSessions: Sendable {
    struct Settings: Sendable, Hashable {
        /// A session unused this long ends. Defaults to 2 hours.
        var idleTimeout: Duration = .seconds(2 * 3600)
        /// A session ends this long after login, used or not. Defaults to 12 hours.
        var lifetime: Duration = .seconds(12 * 3600)
        /// The most sessions kept. Defaults to 1,000.
        var maximum = 1000
    }

    private struct Entry {
        var session: DashboardSession
        var created: ContinuousClock.Instant
        var lastSeen: ContinuousClock.Instant
        /// What the last action did, shown once on the next page.
        var notice: DashboardNotice?
    }

    let settings: Settings
    private let now: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[String: Entry]>([:])

    /// - Parameters:
    ///   - settings: Timeouts and the cap on sessions.
    ///   - now: The clock (tests move it by hand). Defaults to `ContinuousClock.now`.
    init(settings: Settings = Settings(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.settings = settings
        self.now = now
    }

    /// Starts a session.
    /// - Returns: The cookie's value (given to the browser, kept nowhere here) and the session.
    func create() -> (cookieValue: String, session: DashboardSession) {
        let cookieValue = DashboardSession.randomToken()
        let session = DashboardSession(
            key: DashboardSession.key(of: cookieValue), csrfToken: DashboardSession.randomToken())
        let time = now()
        entries.withLock { entries in
            entries = entries.filter { isLive($0.value, at: time) }
            if entries.count >= settings.maximum,
                let oldest = entries.min(by: { $0.value.created < $1.value.created })?.key
            {
                entries[oldest] = nil
            }
            entries[session.key] = Entry(session: session, created: time, lastSeen: time)
        }
        return (cookieValue, session)
    }

    /// The live session a cookie names, and marks it used; `nil` for an unknown, expired or ended one.
    func session(for cookieValue: String) -> DashboardSession? {
        let key = DashboardSession.key(of: cookieValue)
        let time = now()
        return entries.withLock { entries in
            guard var entry = entries[key] else { return nil }
            guard isLive(entry, at: time) else {
                entries[key] = nil
                return nil
            }
            entry.lastSeen = time
            entries[key] = entry
            return entry.session
        }
    }

    /// Ends a session (logout).
    func end(_ session: DashboardSession) {
        _ = entries.withLock { $0.removeValue(forKey: session.key) }
    }

    /// Keeps what an action did, for the session's next page.
    func setNotice(_ notice: DashboardNotice, for session: DashboardSession) {
        entries.withLock { $0[session.key]?.notice = notice }
    }

    /// What the session's last action did, once.
    func takeNotice(for session: DashboardSession) -> DashboardNotice? {
        entries.withLock { entries in
            defer { entries[session.key]?.notice = nil }
            return entries[session.key]?.notice
        }
    }

    /// How many sessions are live.
    var count: Int {
        let time = now()
        return entries.withLock { $0.values.filter { isLive($0, at: time) }.count }
    }

    private func isLive(_ entry: Entry, at time: ContinuousClock.Instant) -> Bool {
        entry.lastSeen.duration(to: time) < settings.idleTimeout && entry.created.duration(to: time) < settings.lifetime
    }
}
