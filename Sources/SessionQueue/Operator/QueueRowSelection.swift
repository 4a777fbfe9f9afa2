/// Which rows an operator's action is about.
public enum QueueRowSelection: Sendable, Hashable {
    /// These rows (`--id N ...`); ids without a row are reported as skipped (`not_found`).
    case ids([Int64])
    /// Every row in any of these states (`--status S ...`).
    case states([QueueRowState])
}
