#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A directory for output files that only this user can change: created with mode 0700 when missing; an existing
/// one is used only when this user owns it and neither its group nor other users can write to it.
///
/// Other users who can write to a directory can delete or swap the files in it (and plant names before they are
/// written), so such a directory is refused rather than used as it is.
public enum PrivateDirectory {
    /// Creates `path` (mode 0700) or checks that the existing directory is private enough.
    /// - Parameter path: The directory (a symbolic link to a directory is judged by the directory it points to).
    /// - Throws: ``OutputFileError`` naming the problem: not a directory, owned by another user, or writable by
    ///   its group or by everyone.
    public static func prepare(_ path: String) throws {
        if mkdir(path, 0o700) == 0 { return }
        guard errno == EEXIST else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw OutputFileError(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw OutputFileError(path: path, reason: "not a directory") }
        if let problem = problem(owner: info.st_uid, mode: info.st_mode, user: geteuid()) {
            throw OutputFileError(path: path, reason: problem)
        }
    }

    /// Why a directory with this owner and mode may not be used by `user`, or `nil` when it may.
    public static func problem(owner: uid_t, mode: mode_t, user: uid_t) -> String? {
        let octal = "0" + String(mode & 0o7777, radix: 8)
        if mode & 0o002 != 0 {
            return "the directory is writable by every user (mode \(octal)): use a new or private directory "
                + "(chmod go-w, or mkdir a fresh one)"
        }
        if mode & 0o020 != 0 {
            return "the directory is writable by its group (mode \(octal)): use a new or private directory "
                + "(chmod go-w, or mkdir a fresh one)"
        }
        if owner != user {
            return "the directory belongs to another user (uid \(owner)): use a directory of your own"
        }
        return nil
    }
}
