#include "tones.h"

#include <QGuiApplication>
#include <QObject>
#include <QPalette>

namespace bd::models {

namespace {

// Models also run without a GUI application (the CLI, GUI-less tests): then the light shades.
// (qGuiApp is a static cast: not null under a plain QCoreApplication.)
bool haveGui()
{
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr;
}

bool darkWindow()
{
    return haveGui() && QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
}

QColor paletteColor(QPalette::ColorGroup group, QPalette::ColorRole role, QColor fallback)
{
    return haveGui() ? QGuiApplication::palette().color(group, role) : fallback;
}

} // namespace

namespace {

struct Shades
{
    QRgb text;     // on a light window
    QRgb textDark; // on a dark window
    QRgb wash;
    QRgb washDark;
};

// Error, Success, Warning, Info (Muted comes from the palette).
constexpr Shades kShades[] = {
    {0xc01c28, 0xf66151, 0xffdcdc, 0x5c1a1a},
    {0x26a269, 0x57e389, 0xd8f5e0, 0x1a4a2a},
    {0xc64600, 0xf8e45c, 0xfdf2d0, 0x4a3c0a},
    {0x1c71d8, 0x99c1f1, 0xdbe8fa, 0x1a3355},
};

} // namespace

QColor toneColor(Tone tone)
{
    if (tone == Tone::Muted)
        return paletteColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0x99, 0x96));
    const Shades &s = kShades[int(tone)];
    return QColor::fromRgb(darkWindow() ? s.textDark : s.text);
}

QColor toneBackground(Tone tone)
{
    if (tone == Tone::Muted)
        return paletteColor(QPalette::Active, QPalette::AlternateBase, QColor(0xf6, 0xf5, 0xf4));
    const Shades &s = kShades[int(tone)];
    return QColor::fromRgb(darkWindow() ? s.washDark : s.wash);
}

QString toneStyleSheet(Tone tone, bool bold)
{
    return QStringLiteral("color: %1%2")
        .arg(toneColor(tone).name(), bold ? QStringLiteral("; font-weight: bold") : QString());
}

QString toneBannerStyleSheet(Tone tone)
{
    return QStringLiteral(
               "background: %1; color: %2; border: 1px solid %2; padding: 6px; border-radius: 3px")
        .arg(toneBackground(tone).name(), toneColor(tone).name());
}

QString toneBadgeStyleSheet(Tone tone)
{
    const bool dark = darkWindow();
    // On dark windows the tone's colour is light: the badge takes the light-window shade.
    QColor fill = toneColor(tone);
    if (dark)
        fill = fill.darker(170);
    return QStringLiteral("background: %1; color: white; font-weight: bold; border-radius: 3px")
        .arg(fill.name());
}

QList<ProfileTag> profileTags()
{
    return {
        {QObject::tr("None"), QString()},
        {QObject::tr("Red (production)"), QStringLiteral("#c01c28")},
        {QObject::tr("Orange (staging)"), QStringLiteral("#e66100")},
        {QObject::tr("Green (development)"), QStringLiteral("#2ec27e")},
        {QObject::tr("Blue"), QStringLiteral("#1c71d8")},
        {QObject::tr("Purple"), QStringLiteral("#813d9c")},
    };
}

} // namespace bd::models
