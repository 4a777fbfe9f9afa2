// The SessionQueue module. See Package.swift for what it is for.
