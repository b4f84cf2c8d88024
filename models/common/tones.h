#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace bd::models {

// The colours that say something (an error, a success, a warning, a note), in one place for the
// whole interface: item models' foreground roles, labels, badges and banners. Each tone has a
// shade for light windows and one for dark ones, picked from the application's palette when
// asked, so text stays readable on either. Everything else takes the palette's own roles.
// The first four index the shades table in tones.cpp, in this order.
enum class Tone {
    Error,   // a failure, a refusal, data that cannot be trusted
    Success, // done, connected, SUCCESS
    Warning, // waiting, reconnecting, a risk to mind
    Info,    // running, read-only, neutral highlights
    Muted,   // unknown, disconnected, notes
};

// The tone's colour for text or a mark on the current palette's window.
QColor toneColor(Tone tone);
// A wash behind text (a broken line, a banner): pale on light windows, deep on dark ones.
QColor toneBackground(Tone tone);
// "color: #rrggbb" (and bold when asked), for a label's style sheet.
QString toneStyleSheet(Tone tone, bool bold = false);
// A banner: the tone's wash, its colour for text and a border.
QString toneBannerStyleSheet(Tone tone);
// A badge: white text on the tone's colour.
QString toneBadgeStyleSheet(Tone tone);

// The colour tags an operator can give a profile (production in red, …): stored in the profile
// by their colour name, so they are data, not theme.
struct ProfileTag
{
    QString label;
    QString color; // "#rrggbb", empty for none
};
QList<ProfileTag> profileTags();

} // namespace bd::models
