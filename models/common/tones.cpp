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

QColor toneColor(Tone tone)
{
    const bool dark = darkWindow();
    switch (tone) {
    case Tone::Error:
        return dark ? QColor(0xf6, 0x61, 0x51) : QColor(0xc0, 0x1c, 0x28);
    case Tone::Success:
        return dark ? QColor(0x57, 0xe3, 0x89) : QColor(0x26, 0xa2, 0x69);
    case Tone::Warning:
        return dark ? QColor(0xf8, 0xe4, 0x5c) : QColor(0xc6, 0x46, 0x00);
    case Tone::Info:
        return dark ? QColor(0x99, 0xc1, 0xf1) : QColor(0x1c, 0x71, 0xd8);
    case Tone::Muted:
        break;
    }
    return paletteColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0x99, 0x96));
}

QColor toneBackground(Tone tone)
{
    const bool dark = darkWindow();
    switch (tone) {
    case Tone::Error:
        return dark ? QColor(0x5c, 0x1a, 0x1a) : QColor(0xff, 0xdc, 0xdc);
    case Tone::Success:
        return dark ? QColor(0x1a, 0x4a, 0x2a) : QColor(0xd8, 0xf5, 0xe0);
    case Tone::Warning:
        return dark ? QColor(0x4a, 0x3c, 0x0a) : QColor(0xfd, 0xf2, 0xd0);
    case Tone::Info:
        return dark ? QColor(0x1a, 0x33, 0x55) : QColor(0xdb, 0xe8, 0xfa);
    case Tone::Muted:
        break;
    }
    return paletteColor(QPalette::Active, QPalette::AlternateBase, QColor(0xf6, 0xf5, 0xf4));
}

QString toneStyleSheet(Tone tone, bool bold)
{
    return QStringLiteral("color: %1%2").arg(toneColor(tone).name(), bold ? QStringLiteral("; font-weight: bold") : QString());
}

QString toneBannerStyleSheet(Tone tone)
{
    return QStringLiteral("background: %1; color: %2; border: 1px solid %2; padding: 6px; border-radius: 3px")
        .arg(toneBackground(tone).name(), toneColor(tone).name());
}

QString toneBadgeStyleSheet(Tone tone)
{
    const bool dark = darkWindow();
    // On dark windows the tone's colour is light: the badge takes the light-window shade.
    QColor fill = toneColor(tone);
    if (dark)
        fill = fill.darker(170);
    return QStringLiteral("background: %1; color: white; font-weight: bold; border-radius: 3px").arg(fill.name());
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
