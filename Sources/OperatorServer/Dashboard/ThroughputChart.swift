import Foundation
import SessionQueue
import Support

/// Sessions created per minute against the cap, as inline SVG drawn on the server: one point (a `circle.point`
/// with `data-minute` and `data-count`) per minute that has data, a stem from the axis to it (minutes without data
/// are zero, and draw nothing), and the cap as a dashed line (`line.cap` with `data-cap`).
struct ThroughputChart: Sendable {
    /// The `<svg>` element's id.
    var id: String
    /// What the chart shows, for a screen reader.
    var title: String
    var series: SessionsPerMinute
    /// The cap, sessions per minute, if known.
    var capPerMinute: Double?

    private static let width = 720.0
    private static let height = 220.0
    private static let left = 46.0
    private static let right = 12.0
    private static let top = 14.0
    private static let bottom = 26.0

    /// The smallest span drawn, so that a run of a few seconds still has a readable axis.
    private static let minimumSpan = 600.0

    func render() -> String {
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        let span = max(series.to.timeIntervalSince(series.from), Self.minimumSpan)
        let highest = Double(series.peak?.created ?? 0)
        let yMax = Self.niceCeiling(max(highest, capPerMinute ?? 0, 1) * 1.12)
        func x(_ date: Date) -> Double {
            let offset = date.timeIntervalSince(series.from) + 30
            return Self.left + min(max(offset / span, 0), 1) * plotWidth
        }
        func y(_ value: Double) -> Double { Self.top + plotHeight * (1 - min(value / yMax, 1)) }
        // One decimal, without String(format:) (thousands of calls for a busy day); coordinates are never negative.
        func number(_ value: Double) -> String {
            let tenths = Int((max(value, 0) * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)"
        }

        var svg = """
            <svg id="\(id)" class="chart" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-labelledby="\(id)-title" data-points="\(series.minutes.count)"><title id="\(id)-title">\
            \(HTMLText.escape(title))</title>
            """
        // Grid: three levels, labelled.
        for fraction in [0.0, 0.5, 1.0] {
            let value = yMax * fraction
            let level = number(y(value))
            svg += """
                <line class="gridline" x1="\(number(Self.left))" y1="\(level)" x2="\(number(Self.width - Self.right))" \
                y2="\(level)"/><text x="\(number(Self.left - 6))" y="\(number(y(value) + 4))" \
                text-anchor="end">\(DashboardFormat.rate(value))</text>
                """
        }
        // Time axis: five labels across the span.
        for step in 0...4 {
            let date = series.from.addingTimeInterval(span * Double(step) / 4)
            let anchor = step == 0 ? "start" : step == 4 ? "end" : "middle"
            svg += """
                <text x="\(number(Self.left + plotWidth * Double(step) / 4))" y="\(number(Self.height - 8))" \
                text-anchor="\(anchor)">\(DashboardFormat.clock(date))</text>
                """
        }
        svg += """
            <line class="axis" x1="\(number(Self.left))" y1="\(number(y(0)))" x2="\(number(Self.width - Self.right))" \
            y2="\(number(y(0)))"/>
            """
        if let cap = capPerMinute {
            let level = number(y(cap))
            svg += """
                <line class="cap" data-cap="\(DashboardFormat.rate(cap))" x1="\(number(Self.left))" y1="\(level)" \
                x2="\(number(Self.width - Self.right))" y2="\(level)"/><text class="cap-label" \
                x="\(number(Self.width - Self.right - 2))" y="\(number(y(cap) - 4))" text-anchor="end">cap \
                \(DashboardFormat.rate(cap))/min</text>
                """
        }
        // One path for every stem and a bare circle per point: the chart of a busy day has 1,440 of them and is sent
        // again at every refresh, so each point costs about 140 bytes.
        let radius = series.minutes.count > 240 ? "1.6" : "2.6"
        let axis = number(y(0))
        var stems = ""
        var points = ""
        for minute in series.minutes {
            let cx = number(x(minute.start))
            let cy = number(y(Double(minute.created)))
            stems += "M\(cx) \(axis)V\(cy)"
            points += """
                <circle class="point" cx="\(cx)" cy="\(cy)" r="\(radius)" data-minute="\(DashboardFormat.iso(minute.start))" \
                data-count="\(minute.created)"><title>\(DashboardFormat.clock(minute.start)) \(minute.created)</title></circle>
                """
        }
        if !stems.isEmpty { svg += "<path class=\"stem\" d=\"\(stems)\"/>" + points }
        if series.minutes.isEmpty {
            svg += """
                <text x="\(number(Self.left + plotWidth / 2))" y="\(number(Self.top + plotHeight / 2))" \
                text-anchor="middle">no sessions created in this span</text>
                """
        }
        return svg + "</svg>"
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * magnitude >= value {
            return factor * magnitude
        }
        return 10 * magnitude
    }
}
