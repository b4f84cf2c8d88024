<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>{%n member(s)}</source>
        <translation>
            <numerusform>{%n member}</numerusform>
            <numerusform>{%n members}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>[%n item(s)]</source>
        <translation>
            <numerusform>[%n item]</numerusform>
            <numerusform>[%n items]</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… %n more node(s) not shown</source>
        <translation>
            <numerusform>… %n more node not shown</numerusform>
            <numerusform>… %n more nodes not shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>JSON array of %n item(s)</source>
        <translation>
            <numerusform>JSON array of %n item</numerusform>
            <numerusform>JSON array of %n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::DataController</name>
    <message numerus="yes">
        <source>%n problem(s): %1</source>
        <translation>
            <numerusform>%n problem: %1</numerusform>
            <numerusform>%n problems: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1. The %n record(s) before it are shown.</source>
        <translation>
            <numerusform>%1. The %n record before it is shown.</numerusform>
            <numerusform>%1. The %n records before it are shown.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::KeysController</name>
    <message numerus="yes">
        <source>Removed %n item(s).</source>
        <translation>
            <numerusform>Removed %n item.</numerusform>
            <numerusform>Removed %n items.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::ProfilerController</name>
    <message numerus="yes">
        <source>MONITOR started for %n second(s)</source>
        <translation>
            <numerusform>MONITOR started for %n second</numerusform>
            <numerusform>MONITOR started for %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::PubSubController</name>
    <message numerus="yes">
        <source>● live · %n subscription(s)</source>
        <translation>
            <numerusform>● live · %n subscription</numerusform>
            <numerusform>● live · %n subscriptions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n channel(s) with subscribers on the server</source>
        <translation>
            <numerusform>%n channel with subscribers on the server</numerusform>
            <numerusform>%n channels with subscribers on the server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n pattern subscription(s) (NUMPAT)</source>
        <translation>
            <numerusform> · %n pattern subscription (NUMPAT)</numerusform>
            <numerusform> · %n pattern subscriptions (NUMPAT)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Published; %n receiver(s) got it</source>
        <translation>
            <numerusform>Published; %n receiver got it</numerusform>
            <numerusform>Published; %n receivers got it</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::QueuesController</name>
    <message numerus="yes">
        <source>%Ln queue(s), %1 waiting · read at %2</source>
        <translation>
            <numerusform>%Ln queue, %1 waiting · read at %2</numerusform>
            <numerusform>%Ln queues, %1 waiting · read at %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::TasksController</name>
    <message numerus="yes">
        <source> · %n line(s) that are not records skipped</source>
        <translation>
            <numerusform> · %n line that is not a record skipped</numerusform>
            <numerusform> · %n lines that are not records skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · the last %Ln change(s) made to a broker from this computer</source>
        <translation>
            <numerusform>%1 · the last %Ln change made to a broker from this computer</numerusform>
            <numerusform>%1 · the last %Ln changes made to a broker from this computer</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::TimelineController</name>
    <message numerus="yes">
        <source>%n task(s) in the timeline</source>
        <translation>
            <numerusform>%n task in the timeline</numerusform>
            <numerusform>%n tasks in the timeline</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s) this session</source>
        <translation>
            <numerusform>%n event this session</numerusform>
            <numerusform>%n events this session</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n duplicate(s) ignored</source>
        <translation>
            <numerusform>%n duplicate ignored</numerusform>
            <numerusform>%n duplicates ignored</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with fields of the wrong type</source>
        <translation>
            <numerusform>%n with fields of the wrong type</numerusform>
            <numerusform>%n with fields of the wrong type</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n publish(es) unreadable (last: %1)</source>
        <translation>
            <numerusform>%n publish unreadable (last: %1)</numerusform>
            <numerusform>%n publishes unreadable (last: %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n publish(es) of events dropped: this window fell behind a flood</source>
        <translation>
            <numerusform>%n publish of events dropped: this window fell behind a flood</numerusform>
            <numerusform>%n publishes of events dropped: this window fell behind a flood</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) left memory before the store could take them: not stored</source>
        <translation>
            <numerusform>%n task left memory before the store could take it: not stored</numerusform>
            <numerusform>%n tasks left memory before the store could take them: not stored</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::app::WorkersController</name>
    <message numerus="yes">
        <source>%n worker(s) answered at %1</source>
        <translation>
            <numerusform>%n worker answered at %1</numerusform>
            <numerusform>%n workers answered at %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::models::KeyTreeModel</name>
    <message numerus="yes">
        <source>%1* — %n key(s)</source>
        <translation>
            <numerusform>%1* — %n key</numerusform>
            <numerusform>%1* — %n keys</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::models::NamespaceStatsModel</name>
    <message numerus="yes">
        <source>%n key(s) without TTL: possible leak</source>
        <translation>
            <numerusform>%n key without TTL: possible leak</numerusform>
            <numerusform>%n keys without TTL: possible leak</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::ui::BulkOperationDialog</name>
    <message numerus="yes">
        <source>%n key(s) match %1.</source>
        <translation>
            <numerusform>%n key matches %1.</numerusform>
            <numerusform>%n keys match %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::ui::ConsolePage</name>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::ui::Counts</name>
    <message numerus="yes">
        <source>%Ln message(s)</source>
        <translation>
            <numerusform>%Ln message</numerusform>
            <numerusform>%Ln messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s)</source>
        <translation>
            <numerusform>%Ln key</numerusform>
            <numerusform>%Ln keys</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s)</source>
        <translation>
            <numerusform>%Ln record</numerusform>
            <numerusform>%Ln records</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::ui::MessageLogView</name>
    <message numerus="yes">
        <source>&lt;b&gt;%n gap(s) while disconnected&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;%n gap while disconnected&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;%n gaps while disconnected&lt;/b&gt;</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>bd::ui::WorkerControlDialog</name>
    <message numerus="yes">
        <source>%n process(es)</source>
        <translation>
            <numerusform>%n process</numerusform>
            <numerusform>%n processes</numerusform>
        </translation>
    </message>
</context>
</TS>
