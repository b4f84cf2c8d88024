#pragma once

#include "redis/rediserror.h"

#include <QWidget>

#include <deque>
#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace bd::models {
class CommandHistory;
}

namespace bd::ui {

// A redis-cli inside the window. The operator types a command; the page splits it (redis-cli
// quoting rules) and emits commandEntered(); whoever owns the connection answers with
// showResult(). The page never touches a socket. Several commands may be pending at once:
// the transcript still shows each command followed by its own reply, in order.
class ConsolePage : public QWidget
{
    Q_OBJECT

public:
    explicit ConsolePage(models::CommandHistory *history, QWidget *parent = nullptr);

    void setPrompt(const QString &endpoint, int db, bool readOnly);
    void showResult(quint64 token, const connectors::RedisResult &result, double elapsedMs);
    // A line about the connection ("connection lost, reconnecting in 2 s").
    void showNotice(const QString &text);
    int pendingCount() const { return static_cast<int>(m_pending.size()); }

    QPlainTextEdit *transcript() const { return m_output; }
    QLineEdit *input() const { return m_input; }

Q_SIGNALS:
    void commandEntered(quint64 token, const QList<QByteArray> &args);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Entry
    {
        quint64 token = 0;
        QString line;
        QString prompt;
        bool rawText = false; // INFO and the like print as plain text, as in redis-cli
        std::optional<connectors::RedisResult> result;
        double elapsedMs = 0;
    };

    void submit();
    void echo(const Entry &entry);
    void printResult(const Entry &entry);
    void appendText(const QString &text, int kind);
    void updatePendingLabel();

    models::CommandHistory *m_history; // Not owned.
    QPlainTextEdit *m_output = nullptr;
    QLineEdit *m_input = nullptr;
    QLabel *m_promptLabel = nullptr;
    QLabel *m_pendingLabel = nullptr;
    QString m_prompt = QStringLiteral("> ");
    std::deque<Entry> m_pending;
    quint64 m_nextToken = 1;
    double m_lastElapsedMs = -1; // round trip of the last printed reply
};

} // namespace bd::ui
