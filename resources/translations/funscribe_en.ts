<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../gui/main_window.py" line="122"/>
        <source>Skipped %n file(s) that are not audio or video</source>
        <translation>
            <numerusform>Skipped %n file that is not audio or video</numerusform>
            <numerusform>Skipped %n files that are not audio or video</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/main_window.py" line="126"/>
        <source>%n file(s) already in the queue</source>
        <translation>
            <numerusform>%n file already in the queue</numerusform>
            <numerusform>%n files already in the queue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/main_window.py" line="233"/>
        <source>Exported %n file(s)</source>
        <translation>
            <numerusform>Exported %n file</numerusform>
            <numerusform>Exported %n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message numerus="yes">
        <location filename="../../gui/transcript_view.py" line="144"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
</context>
</TS>
