import SafeFiles

/// An output file (export, rejects, QR codes, the print sheet) could not be written; nothing partial is left.
public typealias OutputFileError = SafeFiles.OutputFileError
