// swift-tools-version:6.1

import PackageDescription

/// One settings array for every target (see ../shared/conventions.md, item 1).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "provisioner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "provisioner", targets: ["provisioner"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries, found with pkg-config, installed from Debian.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Files written safely: unpredictable exclusive temporary names, 0600, fsync, rename; private directories.
        .target(name: "SafeFiles"),

        // A small, safe Swift layer over libpq: connections, parameterised queries, COPY, transactions.
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")]
        ),
        // Veriff's POST /v1/sessions: models, local validation, the HTTP client, HMAC signatures, redaction.
        .target(
            name: "VeriffAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A minimal HTTP/1.1 server on SwiftNIO, shared by the Veriff stand-in and the webhook receiver.
        .target(
            name: "HTTPServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A local stand-in for Veriff: strict validation, a sliding-window cap, latency and faults.
        .target(
            name: "VeriffStandIn",
            dependencies: ["HTTPServer", "VeriffAPI", .product(name: "Logging", package: "swift-log")]
        ),
        // GCRA limiter (local and shared through PostgreSQL) with 429 feedback.
        .target(
            name: "RateLimiting",
            dependencies: ["Postgres", .product(name: "Logging", package: "swift-log")]
        ),
        // The queue table: migrations, claims, write-back, runs and attempts log, status.
        .target(
            name: "SessionQueue",
            dependencies: ["Postgres", "VeriffAPI", .product(name: "Logging", package: "swift-log")]
        ),
        // The provisioning run: claim, validate, limit, send, classify, write back.
        .target(
            name: "Provisioning",
            dependencies: [
                "SessionQueue", "VeriffAPI", "RateLimiting", "Postgres", "SafeFiles",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Getting end-users in (CSV/JSONL enqueue) and sessions out (export, QR codes).
        .target(
            name: "Distribution",
            dependencies: [
                "SessionQueue", "VeriffAPI", "Postgres", "SafeFiles", "CQREncode", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Operations support: `provisioner check` (configuration, database, schema, permissions, TLS).
        .target(
            name: "Operations",
            dependencies: [
                "Postgres", "SessionQueue", "VeriffAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Veriff's decision and event webhooks: signature checks, parsing, recording on the queue.
        .target(
            name: "Webhooks",
            dependencies: [
                "HTTPServer", "SessionQueue", "Postgres", "VeriffAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "provisioner",
            dependencies: [
                "Postgres", "VeriffAPI", "VeriffStandIn", "RateLimiting", "SessionQueue", "Provisioning",
                "Distribution", "HTTPServer", "Operations", "Webhooks", "SafeFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test helpers: a private database per test, a stand-in per test, log capture.
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "SessionQueue", "VeriffStandIn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(
            name: "VeriffAPITests",
            dependencies: [
                "VeriffAPI", "VeriffStandIn", "TestSupport",
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "RateLimitingTests", dependencies: ["RateLimiting", "TestSupport"]),
        .testTarget(name: "SessionQueueTests", dependencies: ["SessionQueue", "Postgres", "TestSupport"]),
        .testTarget(
            name: "ProvisioningTests",
            dependencies: ["Provisioning", "SessionQueue", "VeriffStandIn", "SafeFiles", "TestSupport"]
        ),
        .testTarget(
            name: "DistributionTests", dependencies: ["Distribution", "SessionQueue", "SafeFiles", "TestSupport"]
        ),
        .testTarget(
            name: "WebhooksTests",
            dependencies: [
                "Webhooks", "SessionQueue", "Postgres", "VeriffAPI", "VeriffStandIn", "HTTPServer", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Seeded random and mutated inputs for every parser that reads untrusted text.
        .testTarget(
            name: "FuzzTests",
            dependencies: [
                "Distribution", "VeriffAPI", "Webhooks", "SessionQueue", "Postgres", "CLibPQ", "TestSupport",
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["TestSupport", "Postgres", "Operations", "SessionQueue", "VeriffAPI", "VeriffStandIn"]
        ),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
