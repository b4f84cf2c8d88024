// The English plural forms: compiled into the resources, installed by the app, and complete.
#include "common/counts.h"
#include "gui/translations.h"
#include "keys/valueformat.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocale>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {

struct PluralText
{
    QString context;
    QString source;
};

// The plural texts (numerus messages) of a .ts file.
QList<PluralText> pluralTexts(const QString &tsPath)
{
    QFile file(tsPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<PluralText> texts;
    QXmlStreamReader xml(&file);
    QString context;
    bool numerus = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("name"))
            context = xml.readElementText();
        else if (xml.name() == QLatin1String("message"))
            numerus = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        else if (xml.name() == QLatin1String("source") && numerus)
            texts << PluralText{context, xml.readElementText()};
    }
    return xml.hasError() ? QList<PluralText>() : texts;
}

// The note the value viewer gives a JSON array: a plural text of the product.
QString arrayNote(const QByteArray &json)
{
    return bd::models::formatValue(json, json.size()).note;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsReadAsEnglish();
    void everyPluralTextIsTranslated();
};

void TestTranslations::countsReadAsEnglish()
{
    QCOMPARE(arrayNote("[1,2,3]"), QStringLiteral("JSON array of 3 item(s)")); // not installed yet
    QTranslator *translator = bd::app::installTranslations(QCoreApplication::instance());
    QVERIFY(translator);
    QCOMPARE(arrayNote("[1]"), QStringLiteral("JSON array of 1 item"));
    QCOMPARE(arrayNote("[1,2,3]"), QStringLiteral("JSON array of 3 items"));
    QCOMPARE(arrayNote("[]"), QStringLiteral("JSON array of 0 items"));
    // Counts in the locale's digits, singular and plural, and past what an int holds.
    QCOMPARE(bd::ui::messageCount(1), QStringLiteral("1 message"));
    QCOMPARE(bd::ui::keyCount(1), QStringLiteral("1 key"));
    QCOMPARE(bd::ui::messageCount(12408), QLocale().toString(12408) + QStringLiteral(" messages"));
    QCOMPARE(bd::ui::keyCount(5'000'000'000),
             QLocale().toString(5'000'000'000LL) + QStringLiteral(" keys"));
    QCoreApplication::removeTranslator(translator);
    delete translator;
}

// Every tr("%n …") in the sources (as lupdate finds them now) has both forms in the compiled
// translation: a new plural text without them fails here, not on an operator's screen.
void TestTranslations::everyPluralTextIsTranslated()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fresh = dir.filePath(QStringLiteral("fresh.ts"));
    QProcess lupdate;
    lupdate.setWorkingDirectory(QStringLiteral(BROKERDESK_SOURCE_DIR));
    lupdate.start(QStringLiteral(BROKERDESK_LUPDATE),
                  {QStringLiteral("-pluralonly"), QStringLiteral("-locations"),
                   QStringLiteral("none"), QStringLiteral("app"), QStringLiteral("ui"),
                   QStringLiteral("models"), QStringLiteral("connectors"), QStringLiteral("-ts"),
                   fresh});
    QVERIFY(lupdate.waitForFinished(120000));
    QCOMPARE(lupdate.exitCode(), 0);
    const QList<PluralText> texts = pluralTexts(fresh);
    QVERIFY2(texts.size() >= 17, qPrintable(QString::number(texts.size())));

    QTranslator translator;
    QVERIFY(translator.load(QString::fromLatin1(bd::app::kEnglishTranslation)));
    for (const PluralText &t : texts) {
        const QByteArray context = t.context.toUtf8();
        const QByteArray source = t.source.toUtf8();
        for (int n : {1, 2}) {
            const QString form =
                translator.translate(context.constData(), source.constData(), nullptr, n);
            QVERIFY2(!form.isEmpty(),
                     qPrintable(QStringLiteral("not translated (make translations): %1 / %2")
                                    .arg(t.context, t.source)));
            const bool counted =
                form.contains(QLatin1String("%n")) || form.contains(QLatin1String("%Ln"));
            QVERIFY2(counted && !form.contains(QLatin1String("(s)")), qPrintable(form));
        }
    }
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
