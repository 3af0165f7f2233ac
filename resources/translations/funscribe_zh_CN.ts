<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../gui/export_dialog.py" line="31"/>
        <source>Export transcripts</source>
        <translation>导出转写稿</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="44"/>
        <source>Selected transcript</source>
        <translation>所选转写稿</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="45"/>
        <source>All finished transcripts</source>
        <translation>所有已完成的转写稿</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="58"/>
        <source>Next to each source file</source>
        <translation>与源文件相同的文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="59"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="66"/>
        <source>Formats:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="67"/>
        <source>Export:</source>
        <translation>导出：</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="68"/>
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location filename="../../gui/export_dialog.py" line="100"/>
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../gui/models_first_run.py" line="29"/>
        <source>Download speech models</source>
        <translation>下载语音模型</translation>
    </message>
    <message>
        <location filename="../../gui/models_first_run.py" line="32"/>
        <source>FunScribe needs speech models to transcribe. Download a model set now (about 2 GB, once), or close this and choose your own model folders in Settings.</source>
        <translation>FunScribe 需要语音模型才能转写。现在下载一套模型（约 2 GB，只需一次），或关闭此窗口并在“设置”中选择你自己的模型文件夹。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../gui/main_window.py" line="142"/>
        <source>Skipped %n file(s) that are not audio or video</source>
        <translation>
            <numerusform>已跳过 %n 个非音视频文件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/main_window.py" line="146"/>
        <source>%n file(s) already in the queue</source>
        <translation>
            <numerusform>%n 个文件已在队列中</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="157"/>
        <source>Add files</source>
        <translation>添加文件</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="168"/>
        <source>Add folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/main_window.py" line="251"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/main_window.py" line="253"/>
        <source>Exported %n file(s)</source>
        <translation>
            <numerusform>已导出 %n 个文件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <location filename="../../gui/models_page.py" line="82"/>
        <source>Models are stored in %1</source>
        <translation>模型保存在 %1</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="123"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="136"/>
        <source>Delete the %1 models from this computer?</source>
        <translation>从这台电脑上删除 %1 模型？</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="176"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="178"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="180"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="182"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="227"/>
        <source>Downloading %1%</source>
        <translation>正在下载 %1%</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="248"/>
        <source>Download failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="250"/>
        <source>Present</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="251"/>
        <source>Partly downloaded</source>
        <translation>部分下载</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="252"/>
        <source>Missing</source>
        <translation>未下载</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="257"/>
        <source>timestamps</source>
        <translation>时间戳</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="258"/>
        <source>hotwords</source>
        <translation>热词</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="259"/>
        <source>speakers</source>
        <translation>说话人</translation>
    </message>
    <message>
        <location filename="../../gui/models_page.py" line="264"/>
        <source>Remove models</source>
        <translation>删除模型</translation>
    </message>
</context>
<context>
    <name>PlayerBar</name>
    <message>
        <location filename="../../gui/player_bar.py" line="53"/>
        <source>Play/Pause</source>
        <translation>播放/暂停</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="56"/>
        <source>Back 5 s</source>
        <translation>后退 5 秒</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="60"/>
        <source>Forward 5 s</source>
        <translation>前进 5 秒</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="63"/>
        <source>Slower</source>
        <translation>减速</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="64"/>
        <source>Faster</source>
        <translation>加速</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="80"/>
        <source>Playback speed (Ctrl+Up / Ctrl+Down)</source>
        <translation>播放速度（Ctrl+上 / Ctrl+下）</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="82"/>
        <source>Follow playback</source>
        <translation>跟随播放</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="84"/>
        <source>Keep the sentence being played in view</source>
        <translation>让正在播放的句子保持可见</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="138"/>
        <source>Source file not found</source>
        <translation>找不到源文件</translation>
    </message>
    <message>
        <location filename="../../gui/player_bar.py" line="140"/>
        <source>Playback unavailable (QtMultimedia missing)</source>
        <translation>无法播放（缺少 QtMultimedia）</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../gui/queue_model.py" line="48"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="49"/>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="50"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="51"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="52"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="53"/>
        <source>ETA</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="54"/>
        <source>Speakers</source>
        <translation>说话人</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="61"/>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="62"/>
        <source>Loading models</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="63"/>
        <source>Running</source>
        <translation>转写中</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="64"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="65"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="66"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="75"/>
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="76"/>
        <source>Finding speech</source>
        <translation>检测语音</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="77"/>
        <source>Recognising</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="78"/>
        <source>Punctuation</source>
        <translation>标点</translation>
    </message>
    <message>
        <location filename="../../gui/queue_model.py" line="79"/>
        <source>Identifying speakers</source>
        <translation>区分说话人</translation>
    </message>
</context>
<context>
    <name>ReclusterDialog</name>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="198"/>
        <source>Change speakers</source>
        <translation>更改说话人</translation>
    </message>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="203"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="213"/>
        <source>Re-cluster</source>
        <translation>重新聚类</translation>
    </message>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="217"/>
        <source>Speakers:</source>
        <translation>说话人：</translation>
    </message>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="228"/>
        <source>This transcript was made before FunScribe kept speaker embeddings (or without speakers). Transcribe the file again to change its speakers.</source>
        <translation>此转写稿生成时 FunScribe 尚未保存说话人嵌入（或未识别说话人）。请重新转写该文件以更改说话人。</translation>
    </message>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="246"/>
        <source>Re-clustering…</source>
        <translation>正在重新聚类…</translation>
    </message>
</context>
<context>
    <name>ReclusterHelper</name>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="169"/>
        <source>the speaker helper could not start</source>
        <translation>说话人辅助进程无法启动</translation>
    </message>
    <message>
        <location filename="../../gui/recluster_dialog.py" line="172"/>
        <source>the speaker helper stopped</source>
        <translation>说话人辅助进程已停止</translation>
    </message>
</context>
<context>
    <name>SentenceActions</name>
    <message>
        <location filename="../../gui/sentence_actions.py" line="28"/>
        <source>Split at cursor</source>
        <translation>在光标处拆分</translation>
    </message>
    <message>
        <location filename="../../gui/sentence_actions.py" line="29"/>
        <source>Join with next</source>
        <translation>与下一句合并</translation>
    </message>
    <message>
        <location filename="../../gui/sentence_actions.py" line="31"/>
        <source>Move to new speaker</source>
        <translation>移到新说话人</translation>
    </message>
    <message>
        <location filename="../../gui/sentence_actions.py" line="92"/>
        <source>Move to speaker</source>
        <translation>移到说话人</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../gui/session.py" line="101"/>
        <source>Rename speaker</source>
        <translation>重命名说话人</translation>
    </message>
    <message>
        <location filename="../../gui/session.py" line="105"/>
        <source>Merge speakers</source>
        <translation>合并说话人</translation>
    </message>
    <message>
        <location filename="../../gui/session.py" line="109"/>
        <source>Edit text</source>
        <translation>编辑文字</translation>
    </message>
    <message>
        <location filename="../../gui/session.py" line="117"/>
        <source>Move to speaker</source>
        <translation>移到说话人</translation>
    </message>
    <message>
        <location filename="../../gui/session.py" line="127"/>
        <source>Split sentence</source>
        <translation>拆分句子</translation>
    </message>
    <message>
        <location filename="../../gui/session.py" line="131"/>
        <source>Join sentences</source>
        <translation>合并句子</translation>
    </message>
    <message>
        <location filename="../../gui/session.py" line="140"/>
        <source>Change speakers</source>
        <translation>更改说话人</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../gui/settings_dialog.py" line="37"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="43"/>
        <source>Local folders (asr, vad, punc, spk)</source>
        <translation>本地文件夹（asr、vad、punc、spk）</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="49"/>
        <source>Folder holding asr, vad, punc, spk</source>
        <translation>包含 asr、vad、punc、spk 的文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="53"/>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="55"/>
        <source>In use now: %1 (from $%2)</source>
        <translation>当前使用：%1（来自 $%2）</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="68"/>
        <location filename="../../gui/settings_dialog.py" line="74"/>
        <source>Automatic (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="78"/>
        <source>Identify speakers</source>
        <translation>区分说话人</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="82"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="97"/>
        <source>A speaker whose voice has at least this similarity to a voice in the library gets its name suggested</source>
        <translation>说话人的声音与声音库中某个声音的相似度至少达到此值时，会被建议使用该名称</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="103"/>
        <source>Names and terms, separated by spaces</source>
        <translation>人名和术语，用空格分隔</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="105"/>
        <source>Next to each source file</source>
        <translation>与源文件相同的文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="109"/>
        <location filename="../../gui/settings_dialog.py" line="115"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="116"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="117"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="123"/>
        <source>Models:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="124"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="125"/>
        <source>Workers:</source>
        <translation>工作进程：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="126"/>
        <source>Threads per worker:</source>
        <translation>每个进程的线程数：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="127"/>
        <source>Speakers:</source>
        <translation>说话人：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="128"/>
        <source>Voice match from:</source>
        <translation>声音匹配阈值：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="129"/>
        <source>Hotwords:</source>
        <translation>热词：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="131"/>
        <source>Output folder:</source>
        <translation>输出文件夹：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="132"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="134"/>
        <source>Language:</source>
        <translation>界面语言：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="135"/>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="138"/>
        <source>Model, device and worker changes apply at once: each worker restarts after its current file. The language changes after a restart.</source>
        <translation>模型、设备和工作进程的更改立即生效：每个工作进程在完成当前文件后重新启动。语言在重新启动后更改。</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="155"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="160"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../gui/settings_dialog.py" line="172"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
</context>
<context>
    <name>SpeakerBar</name>
    <message>
        <location filename="../../gui/speaker_bar.py" line="36"/>
        <source>Speakers:</source>
        <translation>说话人：</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="40"/>
        <source>Change speakers…</source>
        <translation>更改说话人…</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="42"/>
        <source>Find the speakers again with another count, without transcribing again</source>
        <translation>按另一个人数重新识别说话人，无需重新转写</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="64"/>
        <source>Click to rename; use the arrow to merge</source>
        <translation>点击重命名；点箭头合并</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="70"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="71"/>
        <source>Merge into</source>
        <translation>合并到</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="80"/>
        <source>Save voice to library…</source>
        <translation>将声音保存到声音库…</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="96"/>
        <source>Rename speaker</source>
        <translation>重命名说话人</translation>
    </message>
    <message>
        <location filename="../../gui/speaker_bar.py" line="96"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <location filename="../../gui/status_line.py" line="54"/>
        <source>%1 worker(s) stopped for good: %2</source>
        <translation>%1 个工作进程已停止，不再重启：%2</translation>
    </message>
    <message>
        <location filename="../../gui/status_line.py" line="76"/>
        <source>Workers: %1 busy, %2 idle</source>
        <translation>工作进程：%1 忙，%2 空闲</translation>
    </message>
    <message>
        <location filename="../../gui/status_line.py" line="83"/>
        <source>%1 of %2 finished</source>
        <translation>已完成 %1 / %2</translation>
    </message>
</context>
<context>
    <name>SuggestionBanner</name>
    <message>
        <location filename="../../gui/voice_suggestions.py" line="85"/>
        <source>{0} sounds like {1} ({2:.2f})</source>
        <translation>{0} 听起来像 {1}（{2:.2f}）</translation>
    </message>
    <message>
        <location filename="../../gui/voice_suggestions.py" line="90"/>
        <source>Use name</source>
        <translation>使用此名称</translation>
    </message>
    <message>
        <location filename="../../gui/voice_suggestions.py" line="91"/>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
</context>
<context>
    <name>TranscriptModel</name>
    <message>
        <location filename="../../gui/transcript_model.py" line="110"/>
        <source>Speaker %1</source>
        <translation>说话人 %1</translation>
    </message>
    <message>
        <location filename="../../gui/transcript_model.py" line="251"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../gui/transcript_model.py" line="252"/>
        <source>Speaker</source>
        <translation>说话人</translation>
    </message>
    <message>
        <location filename="../../gui/transcript_model.py" line="253"/>
        <source>Text</source>
        <translation>文本</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../gui/transcript_view.py" line="48"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../gui/transcript_view.py" line="82"/>
        <source>Select a finished file to see its transcript.</source>
        <translation>选择一个已完成的文件以查看转写稿。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../gui/transcript_view.py" line="175"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n 处匹配</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VoiceLibraryDialog</name>
    <message>
        <location filename="../../gui/window_voices.py" line="33"/>
        <source>Voice library</source>
        <translation>声音库</translation>
    </message>
</context>
<context>
    <name>VoiceLibraryPage</name>
    <message>
        <location filename="../../gui/voice_library_page.py" line="84"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="84"/>
        <source>Windows</source>
        <translation>窗口数</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="84"/>
        <source>Speaker model</source>
        <translation>说话人模型</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="90"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="91"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="115"/>
        <source>Speakers whose voice is close to a saved voice (similarity at least {0:.2f}, see Settings) get its name suggested. Voices match only transcripts made with the same speaker model.</source>
        <translation>声音与已保存声音相近（相似度至少 {0:.2f}，见设置）的说话人会被建议使用该名称。声音只与使用同一说话人模型生成的转写稿匹配。</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="174"/>
        <source>Rename voice</source>
        <translation>重命名声音</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="174"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="183"/>
        <source>Delete voice</source>
        <translation>删除声音</translation>
    </message>
    <message>
        <location filename="../../gui/voice_library_page.py" line="183"/>
        <source>Delete this voice?</source>
        <translation>删除此声音？</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <location filename="../../gui/window_actions.py" line="39"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="40"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="41"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="42"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="43"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="44"/>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="46"/>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="49"/>
        <source>Clear finished</source>
        <translation>清除已完成</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="51"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="53"/>
        <source>Open output folder</source>
        <translation>打开输出文件夹</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="56"/>
        <source>Voice library…</source>
        <translation>声音库…</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="59"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="61"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="64"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../gui/window_actions.py" line="73"/>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
</context>
<context>
    <name>WindowVoices</name>
    <message>
        <location filename="../../gui/window_voices.py" line="108"/>
        <location filename="../../gui/window_voices.py" line="135"/>
        <source>Voice library</source>
        <translation>声音库</translation>
    </message>
    <message>
        <location filename="../../gui/window_voices.py" line="110"/>
        <source>New voice</source>
        <translation>新声音</translation>
    </message>
    <message>
        <location filename="../../gui/window_voices.py" line="111"/>
        <source>Add to %1</source>
        <translation>加入 %1</translation>
    </message>
    <message>
        <location filename="../../gui/window_voices.py" line="112"/>
        <source>Save %1&apos;s voice as:</source>
        <translation>将 %1 的声音保存为：</translation>
    </message>
    <message>
        <location filename="../../gui/window_voices.py" line="114"/>
        <location filename="../../gui/window_voices.py" line="122"/>
        <source>Save voice</source>
        <translation>保存声音</translation>
    </message>
    <message>
        <location filename="../../gui/window_voices.py" line="122"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
</context>
</TS>
