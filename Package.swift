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
        .executable(name: "provisioner", targets: ["provisioner"]),
        // A developer's tool for the limiter's tests and benchmarks; not installed for operators.
        .executable(name: "limiter-probe", targets: ["limiter-probe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // The operator server (`serve`, `webhooks`). Hummingbird's default traits pull in swift-configuration,
        // which nothing here uses.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        // C libraries, found with pkg-config, installed from Debian.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Files written safely: unpredictable exclusive temporary names, 0600, fsync, rename; private directories.
        .target(name: "SafeFiles"),

        // Small pure helpers every module shares: the `asyncDo` scope, civil dates, JSON text, typed durations.
        .target(name: "Support"),
        // A small, safe Swift layer over libpq: connections, the connection pool (the one way to reach the
        // database), the reconnect policy, parameterised queries, COPY, transactions.
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ", "Support", .product(name: "Logging", package: "swift-log")]
        ),
        // Veriff's POST /v1/sessions: models, local validation, the HTTP client, HMAC signatures, redaction.
        .target(
            name: "VeriffAPI",
            dependencies: [
                "Support",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A local stand-in for Veriff: strict validation, a sliding-window cap, latency and faults, on its own minimal
        // HTTP/1.1 server over SwiftNIO (it needs connection resets and injected latency that a framework hides).
        .target(
            name: "VeriffStandIn",
            dependencies: [
                "Support", "VeriffAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // GCRA limiter (local and shared through PostgreSQL) with 429 feedback.
        .target(
            name: "RateLimiting",
            dependencies: ["Postgres", .product(name: "Logging", package: "swift-log")]
        ),
        // The owner of the queue's tables (session_queue, session_attempts, provisioner_runs, webhook_events):
        // migrations, claims, write-back, rescue, plans, export and QR batches, imports, status, lifecycle.
        .target(
            name: "SessionQueue",
            dependencies: ["Postgres", "Support", "VeriffAPI", .product(name: "Logging", package: "swift-log")]
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
                "SessionQueue", "VeriffAPI", "Postgres", "SafeFiles", "Support", "CQREncode", "CZlib",
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
                "SessionQueue", "Postgres", "Support", "VeriffAPI",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `provisioner serve` / `webhooks`: one Hummingbird server for webhooks, health, metrics and the dashboard,
        // with connection hardening (timeouts, a connection cap, early authentication, bounded logging).
        .target(
            name: "OperatorServer",
            dependencies: [
                "Webhooks", "SessionQueue", "RateLimiting", "Postgres", "Support", "VeriffAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ]
        ),
        // The thin command-line front end: one subcommand per verb, shared option groups, services for the
        // long-running commands.
        .executableTarget(
            name: "provisioner",
            dependencies: [
                "Postgres", "VeriffAPI", "VeriffStandIn", "RateLimiting", "SessionQueue", "Provisioning",
                "Distribution", "Operations", "Webhooks", "OperatorServer", "SafeFiles", "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // A developer's tool, not shipped to operators: processes acquiring from the shared limiter (tests).
        .executableTarget(
            name: "limiter-probe",
            dependencies: [
                "Postgres", "RateLimiting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test helpers: a private database per test, a stand-in per test, log capture.
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "SessionQueue", "Support", "VeriffStandIn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(
            name: "VeriffAPITests",
            dependencies: [
                "VeriffAPI", "VeriffStandIn", "TestSupport", "Support",
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "VeriffStandInTests",
            dependencies: [
                "VeriffAPI", "VeriffStandIn", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "RateLimitingTests", dependencies: ["RateLimiting", "TestSupport"]),
        .testTarget(
            name: "SessionQueueTests",
            dependencies: ["SessionQueue", "Postgres", "TestSupport", "VeriffAPI", "VeriffStandIn", "Webhooks"]
        ),
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
                "Webhooks", "OperatorServer", "SessionQueue", "Postgres", "Support", "VeriffAPI", "VeriffStandIn",
                "TestSupport",
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
            name: "OperatorServerTests",
            dependencies: [
                "OperatorServer", "Webhooks", "SessionQueue", "Postgres", "VeriffAPI", "VeriffStandIn", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
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
