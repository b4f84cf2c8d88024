// The interface's tones: a shade for light windows and one for dark ones, taken from the
// application's palette when asked.
#include "common/tones.h"

#include <QApplication>
#include <QPalette>
#include <QTest>

using namespace bd::models;

class TestTones : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup() { QApplication::setPalette(QPalette(QColor(0xef, 0xef, 0xef))); }
    void followTheWindowsLightness_data();
    void followTheWindowsLightness();
    void mutedIsThePalettesDisabledText();
};

void TestTones::followTheWindowsLightness_data()
{
    QTest::addColumn<int>("tone");
    for (const auto &[name, tone] :
         {std::pair{"error", Tone::Error}, std::pair{"success", Tone::Success},
          std::pair{"warning", Tone::Warning}, std::pair{"info", Tone::Info}})
        QTest::newRow(name) << int(tone);
}

void TestTones::followTheWindowsLightness()
{
    QFETCH(int, tone);
    const Tone t = Tone(tone);
    QApplication::setPalette(QPalette(QColor(0xf0, 0xf0, 0xf0))); // a light window
    const QColor onLight = toneColor(t);
    const QColor washLight = toneBackground(t);
    QApplication::setPalette(QPalette(QColor(0x24, 0x24, 0x24))); // a dark one
    const QColor onDark = toneColor(t);
    const QColor washDark = toneBackground(t);
    // Text stands out from its window on both: darker than a light window, lighter than a dark one.
    QVERIFY(onLight.lightness() < 160);
    QVERIFY(onDark.lightness() > onLight.lightness());
    QVERIFY(onDark.lightness() > 0x24 + 80);
    // The wash stays close to the window it is on.
    QVERIFY(washLight.lightness() > 180);
    QVERIFY(washDark.lightness() < 100);
    QCOMPARE(toneStyleSheet(t), QStringLiteral("color: %1").arg(onDark.name()));
    QVERIFY(toneBannerStyleSheet(t).contains(washDark.name()));
}

void TestTones::mutedIsThePalettesDisabledText()
{
    QPalette palette(QColor(0xf0, 0xf0, 0xf0));
    palette.setColor(QPalette::Disabled, QPalette::Text, QColor(0x12, 0x34, 0x56));
    QApplication::setPalette(palette);
    QCOMPARE(toneColor(Tone::Muted), QColor(0x12, 0x34, 0x56));
}

QTEST_MAIN(TestTones)
#include "tst_tones.moc"
