import SessionQueue

/// The dashboard's fixed sizes: small forms, small pages.
enum DashboardLimits {
    /// The largest body of an action or logout form (a page's row ids, a reason, the CSRF token).
    static let formBodyBytes = 16 << 10
    /// The largest body of the login form (the token).
    static let loginBodyBytes = 4 << 10
    /// Rows shown per page.
    static let pageSize = 50
    /// The most rows one action may name.
    static let maximumRowsPerAction = 500
    /// The longest reason kept (as the command line's `--reason`).
    static let maximumReasonLength = QueueOperation.maximumReasonLength
}
