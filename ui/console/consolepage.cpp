#include "consolepage.h"

#include "common/tones.h"
#include "console/commandhistory.h"
#include "redis/commandlinesplitter.h"
#include "redis/rediscommandtable.h"
#include "redis/replyformatter.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace bd::ui {

namespace {

enum TextKind { Normal, Prompt, Error, Notice };

// The transcript keeps the last lines only; a KEYS * of millions must not eat the memory.
constexpr int kMaxTranscriptBlocks = 20'000;

} // namespace

ConsolePage::ConsolePage(models::CommandHistory *history, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);

    m_output = new QPlainTextEdit(this);
    m_output->setObjectName(QStringLiteral("consoleTranscript"));
    m_output->setReadOnly(true);
    m_output->setFont(mono);
    m_output->setMaximumBlockCount(kMaxTranscriptBlocks);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setUndoRedoEnabled(false);
    m_output->setPlaceholderText(tr("Type a Redis command below, as in redis-cli. "
                                    "Up/Down walk the history."));

    m_promptLabel = new QLabel(m_prompt, this);
    m_promptLabel->setFont(mono);
    m_input = new QLineEdit(this);
    m_input->setObjectName(QStringLiteral("consoleInput"));
    m_input->setFont(mono);
    m_input->setClearButtonEnabled(true);
    m_input->installEventFilter(this);
    m_pendingLabel = new QLabel(this);
    auto *clear = new QPushButton(tr("Clear"), this);
    clear->setToolTip(tr("Clear the transcript (the history is kept)"));

    auto *inputRow = new QHBoxLayout;
    inputRow->addWidget(m_promptLabel);
    inputRow->addWidget(m_input, 1);
    inputRow->addWidget(m_pendingLabel);
    inputRow->addWidget(clear);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_output, 1);
    layout->addLayout(inputRow);

    connect(m_input, &QLineEdit::returnPressed, this, &ConsolePage::submit);
    connect(clear, &QPushButton::clicked, m_output, &QPlainTextEdit::clear);
    setFocusProxy(m_input);
}

void ConsolePage::setPrompt(const QString &endpoint, int db, bool readOnly)
{
    m_prompt = endpoint;
    if (db != 0)
        m_prompt += QStringLiteral("[%1]").arg(db);
    m_prompt += readOnly ? QStringLiteral(" (read-only)> ") : QStringLiteral("> ");
    m_promptLabel->setText(m_prompt);
}

void ConsolePage::submit()
{
    const QString line = m_input->text();
    if (line.trimmed().isEmpty())
        return;
    m_history->add(line);
    m_input->clear();

    const connectors::CommandLineSplit split = connectors::CommandLineSplit::split(line);
    if (!split.ok) {
        appendText(m_prompt + line, Prompt);
        appendText(QStringLiteral("(error) Invalid argument(s): ") + split.error, Error);
        return;
    }
    const QByteArray name = split.args.isEmpty() ? QByteArray() : split.args.first().toUpper();
    const connectors::RedisCommandInfo info = connectors::RedisCommandTable::describe(split.args);
    if (info.takesOver()) {
        appendText(m_prompt + line, Prompt);
        QString where;
        if (name == "MONITOR")
            where = tr("Use the Profiler page.");
        else if (info.streams)
            where = tr("Use the Pub/Sub page.");
        else
            where = tr("It would change the connection under the console.");
        appendText(tr("(error) %1 is not run in the console: it takes the connection over. %2")
                       .arg(QString::fromUtf8(name), where),
                   Error);
        return;
    }
    if (name == "CLEAR") {
        m_output->clear();
        return;
    }

    Entry entry;
    entry.token = m_nextToken++;
    entry.line = line;
    entry.prompt = m_prompt;
    entry.rawText = connectors::ReplyFormatter::prefersRawText(split.args);
    m_pending.push_back(entry);
    if (m_pending.size() == 1)
        echo(m_pending.front());
    updatePendingLabel();
    Q_EMIT commandEntered(entry.token, split.args);
}

void ConsolePage::showResult(quint64 token, const connectors::RedisResult &result, double elapsedMs)
{
    auto it = std::find_if(m_pending.begin(), m_pending.end(),
                           [token](const Entry &e) { return e.token == token; });
    if (it == m_pending.end())
        return;
    it->result = result;
    it->elapsedMs = elapsedMs;
    // Print in submission order: a reply waits until every earlier command has printed.
    while (!m_pending.empty() && m_pending.front().result) {
        printResult(m_pending.front());
        m_pending.pop_front();
        if (!m_pending.empty())
            echo(m_pending.front());
    }
    updatePendingLabel();
}

void ConsolePage::showNotice(const QString &text)
{
    appendText(QStringLiteral("-- ") + text, Notice);
}

void ConsolePage::echo(const Entry &entry)
{
    appendText(entry.prompt + entry.line, Prompt);
}

void ConsolePage::printResult(const Entry &entry)
{
    const connectors::RedisResult &r = *entry.result;
    m_lastElapsedMs = entry.elapsedMs;
    if (r.ok() && entry.rawText && r.reply.isString()) {
        QString text = QString::fromUtf8(r.reply.bytes());
        text.remove(QLatin1Char('\r'));
        appendText(text.trimmed(), Normal);
    } else if (r.ok()) {
        appendText(connectors::ReplyFormatter::toCliText(r.reply), Normal);
    } else if (r.error.kind == connectors::RedisError::Kind::ServerError) {
        appendText(connectors::ReplyFormatter::toCliText(r.reply), Error);
    } else {
        appendText(QStringLiteral("(error) ") + r.error.toString(), Error);
    }
}

void ConsolePage::appendText(const QString &text, int kind)
{
    QTextCharFormat format;
    switch (kind) {
    case Prompt:
        format.setForeground(palette().color(QPalette::Link));
        format.setFontWeight(QFont::Bold);
        break;
    case Error:
        format.setForeground(models::toneColor(models::Tone::Error));
        break;
    case Notice:
        format.setForeground(palette().color(QPalette::PlaceholderText));
        format.setFontItalic(true);
        break;
    default:
        break;
    }
    QScrollBar *bar = m_output->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum() - 2;
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_output->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertText(text, format);
    if (atBottom)
        bar->setValue(bar->maximum());
}

void ConsolePage::updatePendingLabel()
{
    if (!m_pending.empty())
        m_pendingLabel->setText(tr("%n waiting", nullptr, static_cast<int>(m_pending.size())));
    else if (m_lastElapsedMs >= 0)
        m_pendingLabel->setText(tr("%1 ms").arg(m_lastElapsedMs, 0, 'f', 2));
}

bool ConsolePage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Up) {
            m_input->setText(m_history->previous(m_input->text()));
            return true;
        }
        if (key->key() == Qt::Key_Down) {
            m_input->setText(m_history->next());
            return true;
        }
        if (key->key() == Qt::Key_L && key->modifiers() == Qt::ControlModifier) {
            m_output->clear();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace bd::ui
