// The app's colours, sizes and spacing: one place, calm and readable.
// Colours pass WCAG AA contrast for text on their backgrounds.
pragma Singleton
import QtQuick

QtObject {
    readonly property color background: "#f5f4f0"
    readonly property color surface: "#ffffff"
    readonly property color surfaceAlt: "#eceae4"
    readonly property color border: "#c9c5bb"
    readonly property color text: "#1c1c1e"
    readonly property color textMuted: "#55534e"
    readonly property color accent: "#1f4e79"
    readonly property color accentText: "#ffffff"
    readonly property color accentSoft: "#dce7f2"
    readonly property color ok: "#1e6b3a"
    readonly property color warning: "#8a5a00"
    readonly property color warningSoft: "#fbefd5"
    readonly property color danger: "#a4262c"
    readonly property color dangerSoft: "#f8e1e2"
    readonly property color outgoing: "#dce7f2"
    readonly property color incoming: "#ffffff"

    readonly property int spacing: 12
    readonly property int radius: 8
    readonly property int fontSmall: 12
    readonly property int fontBody: 14
    readonly property int fontTitle: 20
    readonly property int fontHeading: 16
}
