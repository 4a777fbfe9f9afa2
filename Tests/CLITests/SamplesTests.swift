import Foundation
import Postgres
import TestSupport
import Testing
import VeriffAPI

/// The files in samples/: valid data, valid unit files, valid manifests, and safe handling of secrets.
@Suite("samples", .timeLimit(.minutes(10)))
struct SamplesTests {
    static func read(_ name: String) throws -> String {
        try String(contentsOfFile: CLI.sample(name), encoding: .utf8)
    }

    /// The CSV sample as end-users, keyed by line, with their violations.
    static func csvEndUsers() throws -> [(line: Int, user: EndUser)] {
        let records = SampleCSV.records(try read("end-users.csv"))
        let header = try #require(records.first).fields
        #expect(header == EndUser.fieldNames)
        return try records.dropFirst().map { record in
            #expect(record.fields.count == header.count, "line \(record.line): \(record.fields.count) fields")
            var values: [String: String] = [:]
            for (name, value) in zip(header, record.fields) { values[name] = value }
            var consents: [Consent]?
            if let text = values["consents"], !text.isEmpty {
                consents = try JSONDecoder().decode([Consent].self, from: Data(text.utf8))
            }
            let user = EndUser(
                firstName: values["firstName"], lastName: values["lastName"], idNumber: values["idNumber"],
                dateOfBirth: values["dateOfBirth"], gender: values["gender"], email: values["email"],
                phoneNumber: values["phoneNumber"], documentNumber: values["documentNumber"],
                documentType: values["documentType"], documentCountry: values["documentCountry"],
                fullAddress: values["fullAddress"], vendorData: values["vendorData"], endUserId: values["endUserId"],
                callback: values["callback"], consents: consents
            ).normalized()
            return (record.line, user)
        }
    }

    @Test("end-users.csv: about 50 varied rows, every document type, several scripts, exactly two invalid rows")
    func csvContent() throws {
        let users = try Self.csvEndUsers()
        #expect((45...60).contains(users.count))
        let invalid = users.filter { !$0.user.violations().isEmpty }.map(\.line)
        #expect(invalid == [50, 51], "invalid lines: \(invalid)")
        let types = Set(users.compactMap(\.user.documentType))
        #expect(types == Set(DocumentType.allCases.map(\.rawValue)))
        // Names in several scripts: Latin, Cyrillic, Greek, Arabic, Han, Hiragana, Hangul, Hebrew, Devanagari, Thai.
        let names = users.compactMap(\.user.firstName).joined()
        for (script, range) in [
            ("Cyrillic", 0x0400...0x04FF), ("Greek", 0x0370...0x03FF), ("Arabic", 0x0600...0x06FF),
            ("Han", 0x4E00...0x9FFF), ("Hiragana", 0x3040...0x309F), ("Hangul", 0xAC00...0xD7AF),
            ("Hebrew", 0x0590...0x05FF), ("Devanagari", 0x0900...0x097F), ("Thai", 0x0E00...0x0E7F),
        ] {
            #expect(names.unicodeScalars.contains { range.contains(Int($0.value)) }, "no \(script) name")
        }
        #expect(
            users.contains { $0.user.email == nil && $0.user.documentType == nil }, "no row without optional fields")
        #expect(users.contains { $0.user.consents != nil })
        #expect(
            users.contains { $0.user.fullAddress?.contains(",") == true && $0.user.fullAddress?.contains("\"") == true }
        )
        #expect(Set(users.compactMap(\.user.vendorData)).count == users.count, "vendorData must be unique")
    }

    @Test("end-users.jsonl: Veriff's nested shape, every line valid")
    func jsonlContent() throws {
        let lines = CLI.lines(try Self.read("end-users.jsonl"))
        #expect(lines.count >= 5)
        for (index, line) in lines.enumerated() {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let allowed: Set<String> = [
                "person", "document", "address", "vendorData", "endUserId", "callback", "consents",
            ]
            #expect(Set(object.keys).isSubset(of: allowed), "line \(index + 1): \(object.keys)")
            let person = object["person"] as? [String: String] ?? [:]
            let document = object["document"] as? [String: String] ?? [:]
            let user = EndUser(
                firstName: person["firstName"], lastName: person["lastName"], idNumber: person["idNumber"],
                dateOfBirth: person["dateOfBirth"], gender: person["gender"], email: person["email"],
                phoneNumber: person["phoneNumber"], documentNumber: document["number"], documentType: document["type"],
                documentCountry: document["country"],
                fullAddress: (object["address"] as? [String: String])?["fullAddress"],
                vendorData: object["vendorData"] as? String, endUserId: object["endUserId"] as? String,
                callback: object["callback"] as? String
            ).normalized()
            #expect(user.violations().isEmpty, "line \(index + 1): \(user.violations())")
        }
        #expect(lines.contains { $0.contains("\"person\":{") })
    }

    @Test("every data sample goes through `enqueue --dry-run`: the CSV's two bad lines are named, the JSONL passes")
    func enqueueDryRun() async throws {
        try await TestDatabase.withFresh { conninfo in
            let csv = try await CLI.run(
                ["enqueue", CLI.sample("end-users.csv"), "--dry-run"], environment: ["DATABASE_URL": conninfo])
            let csvText = csv.stdout + csv.stderr
            #expect(csv.status == 1, "enqueue --dry-run of the CSV: \(csv.status)\n\(csvText)")
            #expect(csvText.contains("line 50") && csvText.contains("documentCountry"), "\(csvText)")
            #expect(csvText.contains("line 51") && csvText.contains("dateOfBirth"), "\(csvText)")
            #expect(!csvText.contains("line 49"))

            let jsonl = try await CLI.run(
                ["enqueue", CLI.sample("end-users.jsonl"), "--dry-run"], environment: ["DATABASE_URL": conninfo])
            #expect(jsonl.status == 0, "enqueue --dry-run of the JSONL: \(jsonl.stdout)\n\(jsonl.stderr)")

            // A dry run writes nothing.
            let count = try await TestDatabase.withConnection(conninfo) { db in
                try await db.query("SELECT count(*)::int AS n FROM session_queue").first?.decode("n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test("the systemd service and timer pass `systemd-analyze verify`, with secrets from EnvironmentFile=")
    func systemdUnits() async throws {
        let service = try Self.read("provisioner.service")
        #expect(service.contains("ExecStart=/usr/local/bin/provisioner run"))
        #expect(service.contains("EnvironmentFile=/etc/provisioner/provisioner.env"))
        for hardening in ["NoNewPrivileges=yes", "ProtectSystem=strict", "DynamicUser=yes", "PrivateTmp=yes"] {
            #expect(service.contains(hardening))
        }
        #expect(!service.contains("VERIFF_API_KEY="), "the key belongs in the EnvironmentFile")
        try await withTemporaryDirectory { directory in
            // systemd-analyze needs ExecStart's binary to exist: point it at the one just built.
            try service.replacingOccurrences(of: "/usr/local/bin/provisioner", with: CLI.binary)
                .write(toFile: directory + "/provisioner.service", atomically: true, encoding: .utf8)
            try Self.read("provisioner.timer").write(
                toFile: directory + "/provisioner.timer", atomically: true, encoding: .utf8)
            let output = try await Shell.run(
                "/usr/bin/systemd-analyze",
                ["verify", directory + "/provisioner.service", directory + "/provisioner.timer"])
            #expect(output.status == 0, "\(output.stderr)")
            // verify only warns (exit 0) about unknown keys and bad values: any output is a defect.
            #expect(output.stderr.isEmpty && output.stdout.isEmpty, "\(output.stdout)\(output.stderr)")
        }
    }

    @Test("the crontab line: five time fields and a command, secrets from the settings file, not the line")
    func crontab() throws {
        var entries = 0
        for line in CLI.lines(try Self.read("crontab")) where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true).map(String.init)
            if fields.count == 1, let equals = line.firstIndex(of: "=") {
                #expect(line[..<equals].allSatisfy { $0.isLetter || $0 == "_" }, "bad variable line: \(line)")
                continue
            }
            try #require(fields.count == 6, "not `m h dom mon dow command`: \(line)")
            let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
            for (field, range) in zip(fields.prefix(5), ranges) {
                #expect(Self.isCronField(field, range: range), "bad time field \(field) in: \(line)")
            }
            #expect(fields[5].contains("/usr/local/bin/provisioner run"))
            #expect(!fields[5].contains("VERIFF_API_KEY") && !fields[5].contains("--api-key "))
            entries += 1
        }
        #expect(entries == 1)
    }

    /// `*`, `*/n`, numbers, ranges and lists of them, within `range`.
    static func isCronField(_ field: String, range: ClosedRange<Int>) -> Bool {
        field.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return false }
            if pieces.count == 2 && (Int(pieces[1]) ?? 0) < 1 { return false }
            if pieces[0] == "*" { return true }
            let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ $0.map(range.contains) ?? false }) else {
                return false
            }
            return bounds.count == 1 || bounds[0]! <= bounds[1]!
        }
    }

    @Test("the Kubernetes CronJob parses as YAML: Forbid, secrets from secretKeyRef, no key in args")
    func kubernetesCronJob() async throws {
        let script = """
            import json, sys, yaml
            docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
            print(json.dumps(docs))
            """
        let output = try await Shell.run("/usr/bin/python3", ["-c", script, CLI.sample("kubernetes-cronjob.yaml")])
        try #require(output.status == 0, "YAML does not parse: \(output.stderr)")
        let documents = try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        let cronJob = try #require(documents.first { $0["kind"] as? String == "CronJob" })
        #expect(cronJob["apiVersion"] as? String == "batch/v1")
        let spec = try #require(cronJob["spec"] as? [String: Any])
        #expect(spec["concurrencyPolicy"] as? String == "Forbid")
        #expect((spec["schedule"] as? String).map { $0.split(separator: " ").count == 5 } == true)
        let jobSpec = try #require((spec["jobTemplate"] as? [String: Any])?["spec"] as? [String: Any])
        let podSpec = try #require((jobSpec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(podSpec["restartPolicy"] as? String == "Never")
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        let args = (container["args"] as? [String] ?? []) + (container["command"] as? [String] ?? [])
        #expect(args.first == "run")
        #expect(!args.contains { $0.contains("api-key") || EndUser.isUUID($0) }, "\(args)")
        let env = try #require(container["env"] as? [[String: Any]])
        for name in ["DATABASE_URL", "VERIFF_API_KEY"] {
            let variable = try #require(env.first { $0["name"] as? String == name }, "\(name) missing")
            #expect(variable["value"] == nil, "\(name) must not be a literal value")
            let reference = (variable["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any]
            #expect(reference?["name"] != nil && reference?["key"] != nil, "\(name) must come from a Secret")
        }
        let security = container["securityContext"] as? [String: Any]
        #expect(security?["allowPrivilegeEscalation"] as? Bool == false)
        #expect(security?["readOnlyRootFilesystem"] as? Bool == true)
    }

    @Test("the serve unit passes `systemd-analyze verify`; its secrets are credentials files, never arguments")
    func systemdServeUnit() async throws {
        let service = try Self.read("provisioner-serve.service")
        #expect(service.contains("ExecStart=/usr/local/bin/provisioner serve"))
        for file in ["shared-secret", "api-key", "dashboard-token"] {
            #expect(service.contains("LoadCredential=\(file):/etc/provisioner/credentials/\(file)"))
            #expect(service.contains("-file %d/\(file)"))
        }
        #expect(!service.contains("VERIFF_API_KEY=") && !service.contains("PROVISIONER_DASHBOARD_TOKEN="))
        for hardening in ["NoNewPrivileges=yes", "ProtectSystem=strict", "DynamicUser=yes", "Restart=on-failure"] {
            #expect(service.contains(hardening))
        }
        try await withTemporaryDirectory { directory in
            try service.replacingOccurrences(of: "/usr/local/bin/provisioner", with: CLI.binary)
                .write(toFile: directory + "/provisioner-serve.service", atomically: true, encoding: .utf8)
            let output = try await Shell.run(
                "/usr/bin/systemd-analyze", ["verify", directory + "/provisioner-serve.service"])
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stderr.isEmpty && output.stdout.isEmpty, "\(output.stdout)\(output.stderr)")
        }
    }

    @Test("the serve Deployment parses as YAML: health probes, secrets from a Secret (files and secretKeyRef)")
    func kubernetesServe() async throws {
        let script = """
            import json, sys, yaml
            docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
            print(json.dumps(docs))
            """
        let output = try await Shell.run("/usr/bin/python3", ["-c", script, CLI.sample("kubernetes-serve.yaml")])
        try #require(output.status == 0, "YAML does not parse: \(output.stderr)")
        let documents = try #require(
            try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]])
        #expect(documents.map { $0["kind"] as? String } == ["Deployment", "Service"])
        let deployment = try #require(documents.first)
        let podSpec = try #require(
            ((deployment["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        let args = container["args"] as? [String] ?? []
        #expect(args.first == "serve")
        for flag in ["--shared-secret-file", "--api-key-file", "--dashboard-token-file"] {
            let index = try #require(args.firstIndex(of: flag), "\(flag) missing")
            #expect(args.indices.contains(index + 1) && args[index + 1].hasPrefix("/run/secrets/provisioner/"))
        }
        #expect(
            args.allSatisfy { $0.hasPrefix("-") || $0.hasPrefix("/") || ["serve", "0.0.0.0:8088"].contains($0) },
            "\(args)")
        for probe in ["readinessProbe", "livenessProbe"] {
            let get = (container[probe] as? [String: Any])?["httpGet"] as? [String: Any]
            #expect(get?["path"] as? String == "/healthz", "\(probe)")
        }
        let env = try #require(container["env"] as? [[String: Any]])
        let database = try #require(env.first { $0["name"] as? String == "DATABASE_URL" })
        #expect(database["value"] == nil)
        #expect(((database["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any])?["key"] != nil)
        #expect(!env.contains { ["VERIFF_API_KEY", "PROVISIONER_DASHBOARD_TOKEN"].contains($0["name"] as? String) })
    }

    @Test("the example environment file: KEY=value lines of known settings, placeholders only")
    func environmentFile() throws {
        let known: Set<String> = [
            "DATABASE_URL", "VERIFF_API_KEY", "VERIFF_BASE_URL", "VERIFF_INTEGRATION_ID", "VERIFF_CALLBACK_URL",
            "PROVISIONER_LOG_LEVEL", "VERIFF_SHARED_SECRET",
        ]
        var names: [String] = []
        for line in CLI.lines(try Self.read("provisioner.env.example")) {
            let text = line.hasPrefix("#") ? String(line.dropFirst()) : line
            guard let equals = text.firstIndex(of: "="), text[..<equals].allSatisfy({ $0.isUppercase || $0 == "_" })
            else {
                #expect(line.hasPrefix("#"), "not KEY=value: \(line)")
                continue
            }
            let name = String(text[..<equals])
            if !line.hasPrefix("#") { names.append(name) }
            #expect(known.contains(name), "unknown setting \(name)")
            #expect(!text.contains(" = ") && !text.hasPrefix("export "))
        }
        #expect(names.contains("DATABASE_URL") && names.contains("VERIFF_API_KEY"))
        #expect(
            try Self.read("provisioner.env.example").contains("VERIFF_API_KEY=00000000-0000-0000-0000-000000000000"))
    }
}
