<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AgentPicker</name>
    <message>
        <source>Type a drug name (中文 or English), Enter to add</source>
        <translation>输入药物名称（中文或英文），回车添加</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not added: it names no single drug. Pick one from the list or clear the text.</source>
        <translation>“%1”未添加：它不对应唯一的药物。请从列表中选择，或清除文字。</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
</context>
<context>
    <name>ArchiveView</name>
    <message>
        <source>Case / member</source>
        <translation>病例 / 归档成员</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Case ID</source>
        <translation>病例编号</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>FAILED</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Case archive</source>
        <translation>病例归档</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>内容：</translation>
    </message>
    <message>
        <source>case JSON files</source>
        <translation>病例 JSON 文件</translation>
    </message>
    <message>
        <source>FHIR bundles (with the evaluation)</source>
        <translation>FHIR 资源包（含评估结果）</translation>
    </message>
    <message>
        <source>Cases:</source>
        <translation>病例：</translation>
    </message>
    <message>
        <source>all stored cases</source>
        <translation>全部已存病例</translation>
    </message>
    <message>
        <source>the cases the list shows (its search)</source>
        <translation>病例列表当前显示的病例（按搜索）</translation>
    </message>
    <message>
        <source>&amp;Pseudonymise (the store&apos;s key; dates shifted)</source>
        <translation>假名化（病例库密钥；日期平移）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Export archive…</source>
        <translation>导出归档(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import archive…</source>
        <translation>导入归档(&amp;I)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 ok, %2 failed.</source>
        <translation>成功 %1 例，失败 %2 例。</translation>
    </message>
    <message>
        <source>The list shows no case: nothing exported.</source>
        <translation>列表中没有病例：未导出任何内容。</translation>
    </message>
    <message>
        <source>Export case archive</source>
        <translation>导出病例归档</translation>
    </message>
    <message>
        <source>Not written</source>
        <translation>未写入</translation>
    </message>
    <message>
        <source>Exported to %1:</source>
        <translation>已导出到 %1：</translation>
    </message>
    <message>
        <source>Import case archive</source>
        <translation>导入病例归档</translation>
    </message>
    <message>
        <source>Imported from %1:</source>
        <translation>已从 %1 导入：</translation>
    </message>
</context>
<context>
    <name>AuditLogView</name>
    <message>
        <source>created</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>decided</source>
        <translation>记录决定</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>exported</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>restored</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>backed up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>时间（UTC）</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>操作者</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Case ID</source>
        <translation>病例编号</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Audit log (read-only)</source>
        <translation>审计日志（只读）</translation>
    </message>
    <message>
        <source>&amp;Case:</source>
        <translation>病例(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>(all cases)</source>
        <translation>（全部病例）</translation>
    </message>
    <message>
        <source>all cases</source>
        <translation>全部病例</translation>
    </message>
    <message>
        <source>read the audit log</source>
        <translation>读取审计日志</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>Export audit log</source>
        <translation>导出审计日志</translation>
    </message>
</context>
<context>
    <name>Basis</name>
    <message>
        <source>Tier</source>
        <translation>推荐级别</translation>
    </message>
    <message>
        <source>Evidence level</source>
        <translation>证据级别</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>出处</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Guideline row</source>
        <translation>指南条目</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>适用条件</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注</translation>
    </message>
    <message>
        <source>Tier read from</source>
        <translation>推荐级别依据</translation>
    </message>
    <message>
        <source>Requires</source>
        <translation>需要</translation>
    </message>
    <message>
        <source>Not yet tested: test before choosing this option</source>
        <translation>尚未检测：选择本方案前需先检测</translation>
    </message>
    <message>
        <source>Approval</source>
        <translation>获批情况</translation>
    </message>
    <message>
        <source>Trials</source>
        <translation>关键研究</translation>
    </message>
    <message>
        <source>Population rule applied</source>
        <translation>适用人群规则</translation>
    </message>
    <message>
        <source>Principles of this chapter</source>
        <translation>本章基本原则</translation>
    </message>
    <message>
        <source>Also listed in</source>
        <translation>亦见于</translation>
    </message>
    <message>
        <source>How it was derived</source>
        <translation>推导依据</translation>
    </message>
    <message>
        <source>Guideline section</source>
        <translation>指南章节</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>处理</translation>
    </message>
    <message>
        <source>Withheld because</source>
        <translation>暂缓原因</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>BiomarkersPage</name>
    <message>
        <source>Germline BRCA1/2 (gBRCA)</source>
        <translation>胚系BRCA1/2突变（gBRCA）</translation>
    </message>
    <message>
        <source>PIK3CA mutation</source>
        <translation>PIK3CA突变</translation>
    </message>
    <message>
        <source>ESR1 mutation</source>
        <translation>ESR1突变</translation>
    </message>
    <message>
        <source>AKT1 mutation</source>
        <translation>AKT1突变</translation>
    </message>
    <message>
        <source>PTEN loss-of-function</source>
        <translation>PTEN功能缺失变异</translation>
    </message>
    <message>
        <source>MSI-H</source>
        <translation>微卫星高度不稳定（MSI-H）</translation>
    </message>
    <message>
        <source>Genomic tests</source>
        <translation>基因检测</translation>
    </message>
    <message>
        <source>PD-L1</source>
        <translation>PD-L1</translation>
    </message>
    <message>
        <source>PD-L1 CPS</source>
        <translation>PD-L1 CPS</translation>
    </message>
    <message>
        <source>CPS ≥ 10 counts as PD-L1-positive; empty when not tested</source>
        <translation>CPS≥10为PD-L1阳性；未检测时留空</translation>
    </message>
    <message>
        <source>Assay</source>
        <translation>检测抗体/平台</translation>
    </message>
    <message>
        <source>4 · Biomarkers</source>
        <translation>4 · 生物标志物</translation>
    </message>
    <message>
        <source>Which targets were tested? An untested marker never hides an option: it is shown with a prompt to test.</source>
        <translation>检测了哪些靶点？未检测的标志物不会隐藏方案：方案照常列出，并提示检测。</translation>
    </message>
</context>
<context>
    <name>CaseEditor</name>
    <message numerus="yes">
        <source>%n problem(s) in this step</source>
        <translation>
            <numerusform>本步骤有 %n 处问题</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaseListPanel</name>
    <message>
        <source>Cases — offline copy on this PC</source>
        <translation>病例 — 本机离线副本</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>病例</translation>
    </message>
    <message>
        <source>Search ID, name or diagnosis…</source>
        <translation>搜索病例号、姓名或诊断…</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;New case</source>
        <translation>新建病例(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation>导入JSON(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export JSON…</source>
        <translation>导出JSON(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;pseudonymised…</source>
        <translation>导出假名化JSON(&amp;P)…</translation>
    </message>
    <message>
        <source>No case store: %1</source>
        <translation>病例库不可用：%1</translation>
    </message>
    <message>
        <source>No case matches.</source>
        <translation>没有匹配的病例。</translation>
    </message>
    <message>
        <source>No saved cases yet.</source>
        <translation>尚无已保存的病例。</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>专业</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>住院号</translation>
    </message>
    <message>
        <source>Case ID</source>
        <translation>病例号</translation>
    </message>
    <message>
        <source>Subtype</source>
        <translation>分子分型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last change</source>
        <translation>最后修改</translation>
    </message>
    <message>
        <source>Specimen</source>
        <translation>标本</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>ER %</source>
        <translation>ER %</translation>
    </message>
    <message>
        <source>PR %</source>
        <translation>PR %</translation>
    </message>
    <message>
        <source>HER-2 IHC</source>
        <translation>HER-2 IHC</translation>
    </message>
    <message>
        <source>ISH</source>
        <translation>ISH</translation>
    </message>
    <message>
        <source>Ki-67 %</source>
        <translation>Ki-67 %</translation>
    </message>
    <message>
        <source>Decalcified</source>
        <translation>脱钙</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>治疗阶段</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>线数</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Stop reason</source>
        <translation>停药原因</translation>
    </message>
    <message>
        <source>Progression</source>
        <translation>进展</translation>
    </message>
    <message>
        <source>Best response</source>
        <translation>最佳疗效</translation>
    </message>
</context>
<context>
    <name>ConcordanceView</name>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>决定数</translation>
    </message>
    <message>
        <source>Follow the guideline</source>
        <translation>遵循指南数</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>遵循比例</translation>
    </message>
    <message>
        <source>Deviation reason</source>
        <translation>偏离原因</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>例数</translation>
    </message>
    <message>
        <source>Concordance audit</source>
        <translation>指南符合率审计</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;to</source>
        <translation>至(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>更新(&amp;U)</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>by %1</source>
        <translation>按%1</translation>
    </message>
    <message>
        <source>The period is not valid: two dates YYYY-MM-DD, the second not before the first.</source>
        <translation>时间段无效：需两个 YYYY-MM-DD 日期，且结束日期不早于开始日期。</translation>
    </message>
    <message>
        <source>read the decisions</source>
        <translation>读取决定</translation>
    </message>
    <message>
        <source>Export concordance CSV</source>
        <translation>导出符合率 CSV</translation>
    </message>
    <message>
        <source>Export concordance PDF</source>
        <translation>导出符合率 PDF</translation>
    </message>
</context>
<context>
    <name>DecisionPage</name>
    <message>
        <source>Systemic treatment decided</source>
        <translation>决定的全身治疗</translation>
    </message>
    <message>
        <source>Agents (other agents: type to add)</source>
        <translation>药物（其他药物：输入添加）</translation>
    </message>
    <message>
        <source>Follows the guideline</source>
        <translation>符合指南</translation>
    </message>
    <message>
        <source>Kind of deviation</source>
        <translation>偏离类别</translation>
    </message>
    <message>
        <source>not offered for the case as it is now</source>
        <translation>按当前病例已不在推荐之列</translation>
    </message>
    <message>
        <source>Reason for not following the guideline</source>
        <translation>未按指南的理由</translation>
    </message>
    <message>
        <source>Required when the decision does not follow the guideline</source>
        <translation>决定不符合指南时必须填写</translation>
    </message>
    <message>
        <source>Local treatment plan</source>
        <translation>局部治疗计划</translation>
    </message>
    <message>
        <source>Local-treatment actions (suggested ones in bold)</source>
        <translation>局部治疗措施（粗体为系统建议）</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Meeting date</source>
        <translation>会议日期</translation>
    </message>
    <message>
        <source>Next assessment</source>
        <translation>下次评估</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>8 · Decision</source>
        <translation>8 · MDT决定</translation>
    </message>
    <message>
        <source>What did the board decide? Check the guideline options chosen, or enter other agents with the reason for deviating.</source>
        <translation>MDT决定了什么？勾选所选的指南方案，或输入其他药物并说明不按指南的理由。</translation>
    </message>
    <message>
        <source>Guideline options chosen</source>
        <translation>所选指南方案</translation>
    </message>
    <message>
        <source>Add &amp;attendee</source>
        <translation>添加参会者(&amp;A)</translation>
    </message>
    <message>
        <source>Remove attendee</source>
        <translation>移除参会者</translation>
    </message>
    <message>
        <source>&amp;Save decision</source>
        <translation>保存决定(&amp;S)</translation>
    </message>
    <message>
        <source>Choose the agents for: %1</source>
        <translation>请为以下类别选择具体药物：%1</translation>
    </message>
    <message>
        <source>Attendee %1</source>
        <translation>参会者 %1</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Case store</source>
        <translation>病例库</translation>
    </message>
    <message>
        <source>Could not %1.</source>
        <translation>无法%1。</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save as JSON file instead…</source>
        <translation>改为保存为JSON文件…</translation>
    </message>
    <message>
        <source>Continue without the case store</source>
        <translation>不使用病例库继续</translation>
    </message>
    <message>
        <source>Work &amp;offline (this PC&apos;s copy)</source>
        <translation>离线工作（使用本机副本）(&amp;O)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <source>The current case has changes that are not saved as a version. Save them first?</source>
        <translation>当前病例有尚未保存为版本的修改。先保存吗？</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>放弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>Idle lock</source>
        <translation>空闲锁定</translation>
    </message>
    <message>
        <source>Hide patient data after this many minutes without keyboard or mouse input:</source>
        <translation>无键盘或鼠标操作多少分钟后隐藏患者数据：</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的内容</translation>
    </message>
    <message>
        <source>abc-mdt was closed with unsaved typing. Choose a draft to recover it into the form.</source>
        <translation>abc-mdt上次关闭时有未保存的输入。请选择要恢复到表单中的草稿。</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard all drafts</source>
        <translation>丢弃全部草稿</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>New case</source>
        <translation>新病例</translation>
    </message>
    <message>
        <source>Changed elsewhere — not saved</source>
        <translation>已在别处修改——未保存</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>第 %1 版</translation>
    </message>
    <message>
        <source>no version of it</source>
        <translation>任何版本</translation>
    </message>
    <message>
        <source>Case %1 was saved elsewhere (version %2 by %3) after this window opened %4. Saving now would overwrite that change, so nothing was saved.</source>
        <translation>病例 %1 在本窗口打开%4之后已在别处保存（第 %2 版，%3）。现在保存会覆盖那次修改，因此没有保存。</translation>
    </message>
    <message>
        <source>Show Details to compare (stored → yours). Reload shows the stored version; what you typed is kept as a draft you can recover.</source>
        <translation>点“显示详细信息”可逐项比较（已保存 → 您的）。“重新载入”显示已保存的版本；您的输入会保留为可恢复的草稿。</translation>
    </message>
    <message>
        <source>&amp;Reload the stored version</source>
        <translation>重新载入已保存的版本(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Keep editing</source>
        <translation>继续编辑(&amp;K)</translation>
    </message>
    <message>
        <source>abc-mdt is already open</source>
        <translation>abc-mdt 已经打开</translation>
    </message>
    <message>
        <source>Another abc-mdt window (process %1) has the case store open. One case belongs in one window: switch to that window, or open this one read-only.</source>
        <translation>另一个 abc-mdt 窗口（进程 %1）正在使用病例库。一个病例只应在一个窗口中编辑：请切换到那个窗口，或以只读方式打开本窗口。</translation>
    </message>
    <message>
        <source>Open &amp;read-only</source>
        <translation>只读打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Saved on the server meanwhile</source>
        <translation>服务器上已有更新的保存</translation>
    </message>
    <message>
        <source>Case %1 was changed on the case server while this PC was offline, so the save made here was not sent.</source>
        <translation>本机离线期间，病例 %1 已在病例服务器上被修改，因此本机的保存未发送。</translation>
    </message>
    <message>
        <source>Show Details to compare (server → this PC). Open mine shows the local version: review it and save it as the next version (the other version stays in the history). Open the server&apos;s shows theirs; yours is kept as a draft. Later keeps it waiting.</source>
        <translation>点击“显示详细信息”进行比较（服务器 → 本机）。“打开我的版本”显示本机版本：核对后可保存为下一个版本（对方的版本保留在历史中）。“打开服务器版本”显示对方的版本；您的版本保存为草稿。“稍后”则继续等待。</translation>
    </message>
    <message>
        <source>Open &amp;mine</source>
        <translation>打开我的版本(&amp;M)</translation>
    </message>
    <message>
        <source>Open the &amp;server&apos;s</source>
        <translation>打开服务器版本(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>稍后(&amp;L)</translation>
    </message>
</context>
<context>
    <name>DueView</name>
    <message>
        <source>Case ID</source>
        <translation>病例编号</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <source>Next assessment</source>
        <translation>下次评估</translation>
    </message>
    <message>
        <source>What is due</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Follow-up worklist</source>
        <translation>随访工作清单</translation>
    </message>
    <message>
        <source>&amp;Assessments due within (days):</source>
        <translation>评估到期范围（天）(&amp;A)：</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>read the worklist</source>
        <translation>读取工作清单</translation>
    </message>
    <message numerus="yes">
        <source>%n patient(s)</source>
        <translation>
            <numerusform>%n 位患者</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FhirExchange</name>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>note</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Import FHIR bundle</source>
        <translation>导入 FHIR 资源包</translation>
    </message>
    <message>
        <source>%1: case %2 read.</source>
        <translation>%1：已读取病例 %2。</translation>
    </message>
    <message>
        <source>%1: no case could be read.</source>
        <translation>%1：未能读取病例。</translation>
    </message>
    <message>
        <source>%1 error(s), %2 warning(s), %3 note(s) — every one is listed below.</source>
        <translation>错误 %1 条，警告 %2 条，提示 %3 条——全部列于下方。</translation>
    </message>
    <message>
        <source>&amp;Open the case</source>
        <translation>打开病例(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <source>Export FHIR bundle</source>
        <translation>导出 FHIR 资源包</translation>
    </message>
    <message>
        <source>A pseudonymised bundle is made from a saved case (the case store holds the pseudonym key). Save the case first.</source>
        <translation>假名化资源包只能由已保存的病例生成（假名密钥在病例库中）。请先保存病例。</translation>
    </message>
    <message>
        <source>Complete the case first: the bundle needs a valid case.</source>
        <translation>请先完成病例：资源包需要有效的病例。</translation>
    </message>
    <message>
        <source>Not written</source>
        <translation>未写入</translation>
    </message>
    <message>
        <source>FHIR bundle written: %1 (%2 resources)</source>
        <translation>已写入 FHIR 资源包：%1（%2 个资源）</translation>
    </message>
    <message>
        <source>import %1</source>
        <translation>导入 %1</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>New case (the cursor goes to its first field)</source>
        <translation>新建病例（光标进入第一个字段）</translation>
    </message>
    <message>
        <source>Find a case: open the case list with the cursor in its search</source>
        <translation>查找病例：打开病例列表，光标在搜索框</translation>
    </message>
    <message>
        <source>Close the case list and go back to the form</source>
        <translation>关闭病例列表，回到表单</translation>
    </message>
    <message>
        <source>Save a version (visible confirmation in the status bar)</source>
        <translation>保存一个版本（状态栏显示确认）</translation>
    </message>
    <message>
        <source>Go to step 1 … 8</source>
        <translation>转到第 1…8 步</translation>
    </message>
    <message>
        <source>Next / previous step</source>
        <translation>下一步/上一步</translation>
    </message>
    <message>
        <source>Next / previous field, in the order they are shown</source>
        <translation>下一个/上一个字段（按显示顺序）</translation>
    </message>
    <message>
        <source>Add the highlighted drug in a drug field</source>
        <translation>在药物字段中添加高亮的药物</translation>
    </message>
    <message>
        <source>Add a specimen, therapy, site or attendee to this step</source>
        <translation>在本步骤添加标本、治疗、部位或参会者</translation>
    </message>
    <message>
        <source>Tick a box; press an Add button</source>
        <translation>勾选复选框；按下“添加”按钮</translation>
    </message>
    <message>
        <source>Move between the bone locations (one Tab stop)</source>
        <translation>在骨转移部位之间移动（只占一个Tab位置）</translation>
    </message>
    <message>
        <source>Put back the last removed specimen, therapy, site or attendee</source>
        <translation>恢复最后移除的标本、治疗、部位或参会者</translation>
    </message>
    <message>
        <source>Show or hide the step sidebar</source>
        <translation>显示或隐藏步骤侧栏</translation>
    </message>
    <message>
        <source>Present the review full screen (Esc or F11 to leave)</source>
        <translation>全屏展示评估结果（Esc 或 F11 退出）</translation>
    </message>
    <message>
        <source>Open the basis of the selected review line</source>
        <translation>打开所选条目的依据</translation>
    </message>
    <message>
        <source>Zoom in / out / actual size (projector)</source>
        <translation>放大/缩小/实际大小（投影）</translation>
    </message>
    <message>
        <source>Switch language 中文 / English</source>
        <translation>切换语言 中文 / English</translation>
    </message>
    <message>
        <source>Report / sign</source>
        <translation>报告/签名</translation>
    </message>
    <message>
        <source>Lock now (hide patient data)</source>
        <translation>立即锁定（隐藏患者数据）</translation>
    </message>
    <message>
        <source>This sheet</source>
        <translation>本说明</translation>
    </message>
    <message>
        <source>An assistant for breast-cancer tumour boards. It supports clinicians; it never decides.</source>
        <translation>乳腺癌多学科会诊（MDT）助手。它辅助临床医生，从不代替决定。</translation>
    </message>
    <message>
        <source>Guideline</source>
        <translation>指南</translation>
    </message>
    <message>
        <source>Edition</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Database SHA-256</source>
        <translation>数据库 SHA-256</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>About abc-mdt</source>
        <translation>关于 abc-mdt</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>abc-mdt — locked</source>
        <translation>abc-mdt — 已锁定</translation>
    </message>
</context>
<context>
    <name>ImpactView</name>
    <message>
        <source>Case ID</source>
        <translation>病例编号</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>What would change</source>
        <translation>将发生的变化</translation>
    </message>
    <message>
        <source>Guideline-edition impact</source>
        <translation>指南版本影响</translation>
    </message>
    <message>
        <source>&amp;Compare with another guideline database…</source>
        <translation>与另一版指南数据库比较(&amp;C)…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Choose another built edition of the guideline database (guideline.sqlite with its .sha256): every stored case is evaluated with both.</source>
        <translation>请选择另一版已构建的指南数据库（guideline.sqlite 及其 .sha256）：每个已存病例将分别用两版评估。</translation>
    </message>
    <message>
        <source>released</source>
        <translation>正式发布版</translation>
    </message>
    <message>
        <source>not the released database</source>
        <translation>非正式发布的数据库</translation>
    </message>
    <message>
        <source>In use: %1 · compared: %2</source>
        <translation>现用：%1 · 对比：%2</translation>
    </message>
    <message>
        <source>Not readable, skipped: %1</source>
        <translation>无法读取，已跳过：%1</translation>
    </message>
    <message>
        <source>patients with a new option</source>
        <translation>新增方案的患者</translation>
    </message>
    <message>
        <source>patients with an option no longer listed</source>
        <translation>方案不再列出的患者</translation>
    </message>
    <message>
        <source>patients with a changed tier</source>
        <translation>方案等级改变的患者</translation>
    </message>
    <message>
        <source>patients with a new local action</source>
        <translation>新增局部处理的患者</translation>
    </message>
    <message>
        <source>patients with a local action no longer listed</source>
        <translation>局部处理不再列出的患者</translation>
    </message>
    <message>
        <source>Another guideline database</source>
        <translation>另一版指南数据库</translation>
    </message>
    <message>
        <source>Not opened</source>
        <translation>未打开</translation>
    </message>
    <message>
        <source>This guideline database cannot be used: %1</source>
        <translation>此指南数据库不能使用：%1</translation>
    </message>
    <message>
        <source>Evaluating every stored case with both editions…</source>
        <translation>正在用两版指南评估每个已存病例…</translation>
    </message>
    <message>
        <source>read the stored cases</source>
        <translation>读取已存病例</translation>
    </message>
    <message>
        <source>Export impact PDF</source>
        <translation>导出影响报告 PDF</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>1st trimester</source>
        <translation>妊娠早期</translation>
    </message>
    <message>
        <source>2nd trimester</source>
        <translation>妊娠中期</translation>
    </message>
    <message>
        <source>3rd trimester</source>
        <translation>妊娠晚期</translation>
    </message>
    <message>
        <source>Row %1</source>
        <translation>第 %1 行</translation>
    </message>
</context>
<context>
    <name>ListExport</name>
    <message>
        <source>Case list</source>
        <translation>病例列表</translation>
    </message>
    <message>
        <source>There is no case store, so there is no list.</source>
        <translation>没有病例库，因此没有列表。</translation>
    </message>
    <message>
        <source>read the case list</source>
        <translation>读取病例列表</translation>
    </message>
    <message>
        <source>Case list %1</source>
        <translation>病例列表 %1</translation>
    </message>
    <message>
        <source>search: %1</source>
        <translation>搜索：%1</translation>
    </message>
    <message>
        <source>Export list</source>
        <translation>导出列表</translation>
    </message>
    <message>
        <source>%1 cases written to %2</source>
        <translation>已将 %1 例写入 %2</translation>
    </message>
    <message>
        <source>Print list</source>
        <translation>打印列表</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <source>Live evaluation</source>
        <translation>实时评估</translation>
    </message>
    <message>
        <source>Top options</source>
        <translation>当前主要方案</translation>
    </message>
    <message numerus="yes">
        <source>%n field(s) need attention</source>
        <translation>
            <numerusform>%n 处需要修改</numerusform>
        </translation>
    </message>
    <message>
        <source>Showing the last valid evaluation</source>
        <translation>显示的是最近一次有效的评估</translation>
    </message>
    <message>
        <source>Enter the case to see the evaluation</source>
        <translation>录入病例后显示评估结果</translation>
    </message>
    <message>
        <source>Case is valid</source>
        <translation>病例信息完整有效</translation>
    </message>
    <message>
        <source>No systemic option applies</source>
        <translation>无适用的全身治疗方案</translation>
    </message>
    <message>
        <source>… and %1 more (step 7)</source>
        <translation>……另有 %1 个方案（见第7步）</translation>
    </message>
    <message>
        <source>Warnings: %1 · Missing data: %2</source>
        <translation>警示：%1 · 缺失数据：%2</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>abc-mdt is locked</source>
        <translation>abc-mdt 已锁定</translation>
    </message>
    <message>
        <source>Patient data is hidden because there was no keyboard or mouse input for a while. Unlock to continue where you left off; nothing was closed or lost.</source>
        <translation>一段时间内没有键盘或鼠标操作，患者数据已隐藏。解锁后从离开处继续；没有关闭或丢失任何内容。</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>open the case store</source>
        <translation>打开病例库</translation>
    </message>
    <message>
        <source>Read-only: another abc-mdt window has the case store open (%1)</source>
        <translation>只读：另一个 abc-mdt 窗口正在使用病例库（%1）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>read the case list</source>
        <translation>读取病例列表</translation>
    </message>
    <message>
        <source>&amp;New case</source>
        <translation>新建病例(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open case…</source>
        <translation>打开病例(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Import case JSON…</source>
        <translation>导入病例JSON(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export case JSON…</source>
        <translation>导出病例JSON(&amp;E)…</translation>
    </message>
    <message>
        <source>Export &amp;pseudonymised JSON…</source>
        <translation>导出假名化JSON(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save version</source>
        <translation>保存版本(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Report / 报告…</source>
        <translation>报告 / Report(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Show/hide the &amp;case list</source>
        <translation>显示/隐藏病例列表(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Find case…</source>
        <translation>查找病例(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Undo remove (specimen, therapy, site, attendee)</source>
        <translation>撤销移除（标本、治疗、部位、参会者）(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Add a specimen / therapy / site / attendee to this step</source>
        <translation>在本步骤添加标本/治疗/部位/参会者(&amp;A)</translation>
    </message>
    <message>
        <source>Step &amp;sidebar</source>
        <translation>步骤侧栏(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Present the review (full screen)</source>
        <translation>全屏展示评估结果(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;About abc-mdt</source>
        <translation>关于 abc-mdt(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Zoom &amp;in (projector)</source>
        <translation>放大（投影）(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>Loc&amp;k now (hide patient data)</source>
        <translation>立即锁定（隐藏患者数据）(&amp;K)</translation>
    </message>
    <message>
        <source>Idle-lock &amp;time…</source>
        <translation>空闲锁定时间(&amp;T)…</translation>
    </message>
    <message>
        <source>Switch language</source>
        <translation>切换语言</translation>
    </message>
    <message>
        <source>&amp;Next step</source>
        <translation>下一步(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous step</source>
        <translation>上一步(&amp;P)</translation>
    </message>
    <message>
        <source>Open &amp;basis of the selected line</source>
        <translation>打开所选条目的依据(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent file</source>
        <translation>最近打开的文件(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language / 语言</source>
        <translation>语言 / Language(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>跳转(&amp;G)</translation>
    </message>
    <message>
        <source>Case list</source>
        <translation>病例列表</translation>
    </message>
    <message>
        <source>new case</source>
        <translation>新病例</translation>
    </message>
    <message>
        <source>Setting not saved</source>
        <translation>设置未保存</translation>
    </message>
    <message>
        <source>The idle-lock time applies until abc-mdt closes, but could not be saved: %1</source>
        <translation>空闲锁定时间在 abc-mdt 关闭前有效，但无法保存：%1</translation>
    </message>
    <message numerus="yes">
        <source>abc-mdt locks after %n minute(s) without input</source>
        <translation>
            <numerusform>无操作 %n 分钟后 abc-mdt 将锁定</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing removed to put back</source>
        <translation>没有可恢复的移除项</translation>
    </message>
    <message>
        <source>%1 put back</source>
        <translation>已恢复 %1</translation>
    </message>
    <message>
        <source>%1 removed — Ctrl+Z puts it back</source>
        <translation>已移除 %1 —— 按 Ctrl+Z 恢复</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>MeetingView</name>
    <message>
        <source>Case ID</source>
        <translation>病例编号</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Question for the board</source>
        <translation>提请MDT讨论的问题</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>已决定</translation>
    </message>
    <message>
        <source>decided</source>
        <translation>已决定</translation>
    </message>
    <message>
        <source>open</source>
        <translation>待决定</translation>
    </message>
    <message>
        <source>Meeting agenda</source>
        <translation>会议议程</translation>
    </message>
    <message>
        <source>&amp;Meeting:</source>
        <translation>会议(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Present (full screen)</source>
        <translation>演示（全屏）(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Open case</source>
        <translation>打开病例(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Agenda PDF…</source>
        <translation>议程 PDF(&amp;A)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n case(s)</source>
        <translation>
            <numerusform>%1 — %n 例</numerusform>
        </translation>
    </message>
    <message>
        <source>read the meetings</source>
        <translation>读取会议</translation>
    </message>
    <message>
        <source>read the agenda</source>
        <translation>读取议程</translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n 例待决定</numerusform>
        </translation>
    </message>
    <message>
        <source>No meeting dates in the store.</source>
        <translation>病例库中没有会议日期。</translation>
    </message>
    <message>
        <source>Agenda PDF</source>
        <translation>议程 PDF</translation>
    </message>
</context>
<context>
    <name>MetastasesPage</name>
    <message>
        <source>The board&apos;s judgement</source>
        <translation>MDT判断</translation>
    </message>
    <message>
        <source>Expected survival (months)</source>
        <translation>预期生存（月）</translation>
    </message>
    <message>
        <source>Extracranial disease controlled</source>
        <translation>颅外病灶已控制</translation>
    </message>
    <message>
        <source>Effective systemic therapy available</source>
        <translation>有有效的全身治疗手段</translation>
    </message>
    <message>
        <source>Rapid progression / needs fast response</source>
        <translation>疾病进展迅速/需要快速缓解</translation>
    </message>
    <message>
        <source>Strong ER expression</source>
        <translation>ER强表达</translation>
    </message>
    <message>
        <source>Long-term remission so far (months)</source>
        <translation>已持续长期缓解（月）</translation>
    </message>
    <message>
        <source>Before local or bone-directed treatment</source>
        <translation>局部治疗或骨调节剂治疗前</translation>
    </message>
    <message>
        <source>Dental examination done</source>
        <translation>已行牙科检查</translation>
    </message>
    <message>
        <source>Invasive dental procedure planned</source>
        <translation>计划行口腔有创操作</translation>
    </message>
    <message>
        <source>Prior breast / chest-wall radiotherapy</source>
        <translation>既往乳腺/胸壁放疗</translation>
    </message>
    <message>
        <source>Prior axillary surgery</source>
        <translation>既往腋窝手术</translation>
    </message>
    <message>
        <source>6 · Metastases and context</source>
        <translation>6 · 转移部位与综合情况</translation>
    </message>
    <message>
        <source>One card per organ site, with the questions that organ raises; then the board&apos;s judgements.</source>
        <translation>每个转移器官一张卡片，填写该器官相关的问题；然后是MDT的综合判断。</translation>
    </message>
    <message>
        <source>&amp;Add metastatic site</source>
        <translation>添加转移部位(&amp;A)</translation>
    </message>
    <message>
        <source>Site %1</source>
        <translation>部位 %1</translation>
    </message>
</context>
<context>
    <name>PathologyPage</name>
    <message>
        <source>&amp;Add specimen</source>
        <translation>添加标本(&amp;A)</translation>
    </message>
    <message>
        <source>Remove specimen</source>
        <translation>移除标本</translation>
    </message>
    <message>
        <source>Specimen</source>
        <translation>标本</translation>
    </message>
    <message>
        <source>Site / procedure</source>
        <translation>部位/取材方式</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>ER %</source>
        <translation>ER %</translation>
    </message>
    <message>
        <source>PR %</source>
        <translation>PR %</translation>
    </message>
    <message>
        <source>Ki-67 %</source>
        <translation>Ki-67 %</translation>
    </message>
    <message>
        <source>Decalcified (bone)</source>
        <translation>脱钙（骨）</translation>
    </message>
    <message>
        <source>Receptor results after decalcification are less reliable</source>
        <translation>骨转移灶活检经脱钙处理后受体检测结果可靠性下降</translation>
    </message>
    <message>
        <source>HER-2 IHC</source>
        <translation>HER-2 IHC</translation>
    </message>
    <message>
        <source>HER-2 ISH</source>
        <translation>HER-2 ISH</translation>
    </message>
    <message>
        <source>3 · Pathology</source>
        <translation>3 · 病理</translation>
    </message>
    <message>
        <source>Every biopsy or resection, newest last. The newest metastasis or recurrence specimen decides the treatment; the row used is shaded green.</source>
        <translation>每次活检或手术标本，按时间顺序排列。以最近一次转移/复发灶的检测结果作为治疗的主要依据；所用标本所在行以绿色标示。</translation>
    </message>
    <message>
        <source>Receptors used: shown when the case is valid.</source>
        <translation>受体状态依据：病例有效后显示。</translation>
    </message>
    <message>
        <source>Receptors used: %1</source>
        <translation>受体状态依据：%1</translation>
    </message>
    <message>
        <source>Discordance: yes</source>
        <translation>原发灶与转移灶不一致：是</translation>
    </message>
    <message>
        <source>Discordance: no</source>
        <translation>原发灶与转移灶不一致：否</translation>
    </message>
</context>
<context>
    <name>PatientPage</name>
    <message>
        <source>Identity</source>
        <translation>身份信息</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Hospital ID</source>
        <translation>住院号</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age (years)</source>
        <translation>年龄（岁）</translation>
    </message>
    <message>
        <source>18-110 years</source>
        <translation>18～110岁</translation>
    </message>
    <message>
        <source>Menopausal status</source>
        <translation>月经状态</translation>
    </message>
    <message>
        <source>Peri-menopausal counts as premenopausal</source>
        <translation>围绝经期按绝经前处理</translation>
    </message>
    <message>
        <source>Chemotherapy-induced amenorrhoea</source>
        <translation>化疗致闭经</translation>
    </message>
    <message>
        <source>Postmenopausal status confirmed</source>
        <translation>已确认绝经</translation>
    </message>
    <message>
        <source>e.g. by repeated FSH/oestradiol after chemotherapy-induced amenorrhoea</source>
        <translation>如化疗致闭经后多次检测FSH/雌二醇确认</translation>
    </message>
    <message>
        <source>Performance status (give KPS or ECOG)</source>
        <translation>体力状况（填写KPS或ECOG）</translation>
    </message>
    <message>
        <source>KPS</source>
        <translation>KPS</translation>
    </message>
    <message>
        <source>ECOG</source>
        <translation>ECOG</translation>
    </message>
    <message>
        <source>Pregnancy and preferences</source>
        <translation>妊娠与患者意愿</translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation>妊娠</translation>
    </message>
    <message>
        <source>Trimester</source>
        <translation>孕期</translation>
    </message>
    <message>
        <source>Refuses ovarian suppression</source>
        <translation>拒绝卵巢功能抑制</translation>
    </message>
    <message>
        <source>Refuses chemotherapy</source>
        <translation>拒绝化疗</translation>
    </message>
    <message>
        <source>1 · Patient</source>
        <translation>1 · 患者</translation>
    </message>
    <message>
        <source>Who is the patient, how fit is she, and what does she refuse?</source>
        <translation>患者是谁？体力状况如何？拒绝哪些治疗？</translation>
    </message>
</context>
<context>
    <name>PresentView</name>
    <message>
        <source>Meeting — present mode</source>
        <translation>会议——演示模式</translation>
    </message>
    <message>
        <source>PgDn / → next  ·  PgUp / ← previous  ·  ↑↓ scroll  ·  Enter record the decision  ·  Esc leave</source>
        <translation>PgDn / → 下一例  ·  PgUp / ← 上一例  ·  ↑↓ 滚动  ·  Enter 记录决定  ·  Esc 退出</translation>
    </message>
    <message>
        <source>Case %1 of %2</source>
        <translation>第 %1 例，共 %2 例</translation>
    </message>
    <message>
        <source>decided</source>
        <translation>已决定</translation>
    </message>
</context>
<context>
    <name>PresentationPage</name>
    <message>
        <source>Case</source>
        <translation>病例</translation>
    </message>
    <message>
        <source>Case ID</source>
        <translation>病例号</translation>
    </message>
    <message>
        <source>Letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;</source>
        <translation>字母、数字、&apos;.&apos;、&apos;_&apos;和&apos;-&apos;</translation>
    </message>
    <message>
        <source>Board review date</source>
        <translation>MDT讨论日期</translation>
    </message>
    <message>
        <source>All intervals are counted to this date (today when empty)</source>
        <translation>所有时间间隔计算至此日期（留空则为今天）</translation>
    </message>
    <message>
        <source>Presentation</source>
        <translation>临床表现</translation>
    </message>
    <message>
        <source>Inflammatory breast cancer</source>
        <translation>炎性乳腺癌</translation>
    </message>
    <message>
        <source>Dates</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Primary diagnosis</source>
        <translation>原发诊断日期</translation>
    </message>
    <message>
        <source>Metastatic / unresectable diagnosis</source>
        <translation>转移/不可切除诊断日期</translation>
    </message>
    <message>
        <source>First distant or unresectable disease; empty if none</source>
        <translation>首次出现远处转移或不可切除病灶；没有则留空</translation>
    </message>
    <message>
        <source>2 · Presentation and dates</source>
        <translation>2 · 临床表现与日期</translation>
    </message>
    <message>
        <source>How did the advanced disease present, and when?</source>
        <translation>晚期疾病如何出现？何时出现？</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <source>enter a whole number</source>
        <translation>请输入整数</translation>
    </message>
    <message>
        <source>enter a number</source>
        <translation>请输入数字</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>unknown key (not part of the case format)</source>
        <translation>未知字段（不属于病例格式）</translation>
    </message>
    <message>
        <source>{0} is not allowed; choose one of {1}</source>
        <translation>{0} 无效；请从 {1} 中选择</translation>
    </message>
    <message>
        <source>use only letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; (1-64 characters)</source>
        <translation>只能使用字母、数字、&apos;.&apos;、&apos;_&apos;和&apos;-&apos;（1～64个字符）</translation>
    </message>
    <message>
        <source>{0} is not a real calendar date</source>
        <translation>{0} 不是有效日期</translation>
    </message>
    <message>
        <source>write the date as YYYY-MM-DD</source>
        <translation>日期格式应为 YYYY-MM-DD</translation>
    </message>
    <message>
        <source>a trimester is only given when the patient is pregnant</source>
        <translation>仅妊娠患者填写孕期</translation>
    </message>
    <message>
        <source>male patients have no menopausal status</source>
        <translation>男性患者无月经状态</translation>
    </message>
    <message>
        <source>does not apply to a male patient</source>
        <translation>不适用于男性患者</translation>
    </message>
    <message>
        <source>KPS {0} disagrees with ECOG {1} (ECOG {1} = KPS {2}-{3})</source>
        <translation>KPS {0} 与 ECOG {1} 不一致（ECOG {1} 相当于 KPS {2}～{3}）</translation>
    </message>
    <message>
        <source>{0} is after the evaluation date ({1})</source>
        <translation>{0} 晚于MDT讨论日期（{1}）</translation>
    </message>
    <message>
        <source>{0} is in the future (today is {1})</source>
        <translation>{0} 是将来的日期（今天是 {1}）</translation>
    </message>
    <message>
        <source>earlier than the primary diagnosis date</source>
        <translation>早于原发诊断日期</translation>
    </message>
    <message>
        <source>earlier than the start date</source>
        <translation>早于开始日期</translation>
    </message>
    <message>
        <source>required for advanced-disease therapy</source>
        <translation>晚期治疗必须填写</translation>
    </message>
    <message>
        <source>line {0} is already used by another therapy</source>
        <translation>第 {0} 线已用于另一项治疗</translation>
    </message>
    <message>
        <source>a line number is only given for advanced-disease therapy</source>
        <translation>仅晚期治疗填写线数</translation>
    </message>
    <message>
        <source>details belong to another organ</source>
        <translation>详细信息属于另一个器官</translation>
    </message>
    <message>
        <source>unknown drug &apos;{0}&apos;; did you mean {1}?</source>
        <translation>未知药物“{0}”；是否为 {1}？</translation>
    </message>
    <message>
        <source>unknown drug &apos;{0}&apos;</source>
        <translation>未知药物“{0}”</translation>
    </message>
    <message>
        <source>unknown local treatment &apos;{0}&apos;</source>
        <translation>未知局部治疗“{0}”</translation>
    </message>
    <message>
        <source>required: the decision does not follow the guideline</source>
        <translation>必填：该决定不符合指南</translation>
    </message>
    <message>
        <source>must be at least {0}</source>
        <translation>不能小于 {0}</translation>
    </message>
    <message>
        <source>must be at most {0}</source>
        <translation>不能大于 {0}</translation>
    </message>
    <message>
        <source>must be more than {0}</source>
        <translation>必须大于 {0}</translation>
    </message>
    <message>
        <source>must be less than {0}</source>
        <translation>必须小于 {0}</translation>
    </message>
    <message>
        <source>must be a multiple of {0}</source>
        <translation>必须是 {0} 的倍数</translation>
    </message>
    <message>
        <source>at most {0} characters</source>
        <translation>最多 {0} 个字符</translation>
    </message>
    <message>
        <source>add at least one</source>
        <translation>至少添加一项</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <source>Case summary PDF</source>
        <translation>病例摘要 PDF</translation>
    </message>
    <message>
        <source>Rebuild preview</source>
        <translation>重新生成预览</translation>
    </message>
    <message>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Identity file</source>
        <translation>签名身份文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <source>The signer&apos;s printed name and role come from the certificate.</source>
        <translation>签名人姓名与专业取自证书。</translation>
    </message>
    <message>
        <source>Sign the case summary</source>
        <translation>签署病例摘要</translation>
    </message>
    <message>
        <source>The case changed after this preview was made: rebuild the preview before signing.</source>
        <translation>病例在生成预览后已修改：请先重新生成预览，再签名。</translation>
    </message>
    <message>
        <source>Preview of case {case}, version {hash}…</source>
        <translation>预览：病例 {case}，版本 {hash}…</translation>
    </message>
    <message>
        <source>Signed by: {names}</source>
        <translation>已签名：{names}</translation>
    </message>
    <message>
        <source>not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <source>Choose the identity file (.p12)</source>
        <translation>请选择签名身份文件（.p12）</translation>
    </message>
    <message>
        <source>Enter what the signature means</source>
        <translation>请填写签名含义</translation>
    </message>
    <message>
        <source>The case is not saved in the case store (or has unsaved changes): save it first, so that the signature is recorded in its history.</source>
        <translation>病例尚未保存到病例库（或有未保存的修改）：请先保存，签名才能记入病例历史。</translation>
    </message>
    <message>
        <source>The case server is unreachable: a signature is recorded in the registry, so signing waits until abc-mdt is back online. The preview can be saved and printed meanwhile.</source>
        <translation>无法连接病例服务器：签名需记录在病例登记库中，因此须待 abc-mdt 重新联机后才能签名。在此期间可保存和打印预览。</translation>
    </message>
    <message>
        <source>Signed, but the case store could not record it: {error}</source>
        <translation>签名已完成，但未能记入病例库：{error}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <source>The signed PDF is not saved yet</source>
        <translation>已签名的PDF尚未保存</translation>
    </message>
    <message>
        <source>Building the preview…</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <source>Signing…</source>
        <translation>正在签名…</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Complete the case first: the question needs a valid case.</source>
        <translation>请先完成病例：此问题需要有效的病例。</translation>
    </message>
    <message>
        <source>No drug or drug class is called &apos;%1&apos;.</source>
        <translation>没有名为“%1”的药物或药物类别。</translation>
    </message>
    <message>
        <source>The guideline has no option with &apos;%1&apos;.</source>
        <translation>指南中没有含“%1”的方案。</translation>
    </message>
    <message>
        <source>7 · Review</source>
        <translation>7 · 评估结果</translation>
    </message>
    <message>
        <source>What the guideline says for this case. Click a line (or Tab to it and press Enter) to see its basis; F3 opens the basis larger.</source>
        <translation>指南对本病例的建议。点击条目（或用Tab移到条目后按回车）查看依据；F3放大显示依据。</translation>
    </message>
    <message>
        <source>Open basis larger (F3)</source>
        <translation>放大显示依据（F3）</translation>
    </message>
    <message>
        <source>Why isn&apos;t … offered?</source>
        <translation>为什么没有推荐……？</translation>
    </message>
    <message>
        <source>a drug or class, e.g. T-DXd, 阿贝西利, CDK4/6 — Enter</source>
        <translation>药物或类别，如 T-DXd、阿贝西利、CDK4/6 —— 回车</translation>
    </message>
    <message>
        <source>Basis</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>To fix before the guideline can be applied</source>
        <translation>应用指南前需要修改的内容</translation>
    </message>
    <message>
        <source>The case is not complete or not valid yet; the steps marked ⚠ show what to fix.</source>
        <translation>病例尚不完整或有误；标有⚠的步骤显示需要修改的内容。</translation>
    </message>
    <message>
        <source>No systemic option applies.</source>
        <translation>无适用的全身治疗方案。</translation>
    </message>
    <message>
        <source>No local-treatment item.</source>
        <translation>无局部治疗条目。</translation>
    </message>
</context>
<context>
    <name>ServerLink</name>
    <message>
        <source>Reconnect to the case &amp;server</source>
        <translation>重新连接病例服务器(&amp;S)</translation>
    </message>
    <message>
        <source>open this PC&apos;s offline copy</source>
        <translation>打开本机的离线副本</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message numerus="yes">
        <source>%n local save(s) waiting</source>
        <translation>
            <numerusform>%n 个本机保存待发送</numerusform>
        </translation>
    </message>
    <message>
        <source>The case server %1 is unreachable. This PC shows the cases it last opened and keeps new saves locally; they are sent, with a conflict check, when the server is back (abc-mdt tries every %2 s; Ctrl+Shift+R tries now).</source>
        <translation>无法连接病例服务器 %1。本机显示最近打开过的病例，并在本机保存新的修改；服务器恢复后将发送这些保存并检查冲突（abc-mdt 每 %2 秒重试一次；按 Ctrl+Shift+R 立即重试）。</translation>
    </message>
    <message>
        <source>reach the case server</source>
        <translation>连接病例服务器</translation>
    </message>
    <message>
        <source>Back online: %1 local save(s) sent to the case server</source>
        <translation>已重新联机：%1 个本机保存已发送到病例服务器</translation>
    </message>
    <message>
        <source>send the local saves to the case server</source>
        <translation>将本机保存发送到病例服务器</translation>
    </message>
    <message>
        <source>compare the local save with the server</source>
        <translation>将本机保存与服务器比较</translation>
    </message>
    <message>
        <source>keep the local version as a draft</source>
        <translation>将本机版本保存为草稿</translation>
    </message>
</context>
<context>
    <name>SiteCard</name>
    <message>
        <source>Organ</source>
        <translation>器官</translation>
    </message>
    <message>
        <source>Number of lesions</source>
        <translation>病灶数</translation>
    </message>
    <message>
        <source>Largest lesion (cm)</source>
        <translation>最大病灶（cm）</translation>
    </message>
    <message>
        <source>Symptomatic</source>
        <translation>有症状</translation>
    </message>
    <message>
        <source>Locations</source>
        <translation>部位</translation>
    </message>
    <message>
        <source>Lesion type</source>
        <translation>病灶类型</translation>
    </message>
    <message>
        <source>Bone pain</source>
        <translation>骨痛</translation>
    </message>
    <message>
        <source>Pathological fracture</source>
        <translation>病理性骨折</translation>
    </message>
    <message>
        <source>Impending fracture</source>
        <translation>即将发生骨折</translation>
    </message>
    <message>
        <source>Spinal cord compression</source>
        <translation>脊髓压迫</translation>
    </message>
    <message>
        <source>Hypercalcaemia</source>
        <translation>高钙血症</translation>
    </message>
    <message>
        <source>Extensive marrow involvement</source>
        <translation>广泛骨髓转移</translation>
    </message>
    <message>
        <source>Diffuse liver metastases</source>
        <translation>弥漫性肝转移</translation>
    </message>
    <message>
        <source>Bilirubin (× ULN)</source>
        <translation>胆红素（×正常上限）</translation>
    </message>
    <message>
        <source>Biliary obstruction</source>
        <translation>胆道梗阻</translation>
    </message>
    <message>
        <source>Lymphangitic spread</source>
        <translation>癌性淋巴管炎</translation>
    </message>
    <message>
        <source>Needs oxygen at rest</source>
        <translation>静息状态下需要吸氧</translation>
    </message>
    <message>
        <source>Effusion</source>
        <translation>胸腔积液</translation>
    </message>
    <message>
        <source>Dyspnoea at rest</source>
        <translation>静息时呼吸困难</translation>
    </message>
    <message>
        <source>Relieved by drainage</source>
        <translation>引流后可缓解</translation>
    </message>
    <message>
        <source>Total volume (ml)</source>
        <translation>总体积（ml）</translation>
    </message>
    <message>
        <source>Mass effect</source>
        <translation>占位效应</translation>
    </message>
    <message>
        <source>Hippocampus involved</source>
        <translation>海马受侵</translation>
    </message>
    <message>
        <source>Leptomeningeal disease</source>
        <translation>脑膜转移</translation>
    </message>
    <message>
        <source>Diffuse</source>
        <translation>弥漫性</translation>
    </message>
    <message>
        <source>Resectable</source>
        <translation>可切除</translation>
    </message>
    <message>
        <source>Prior brain radiotherapy</source>
        <translation>既往脑部放疗</translation>
    </message>
    <message>
        <source>Site %1</source>
        <translation>部位 %1</translation>
    </message>
    <message>
        <source>Remove site</source>
        <translation>移除部位</translation>
    </message>
</context>
<context>
    <name>StoreActions</name>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>autosave the form</source>
        <translation>自动保存表单</translation>
    </message>
    <message>
        <source>open case %1</source>
        <translation>打开病例 %1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>This window is read-only: another abc-mdt window has the case store open (%1). Close that window and open the case again to change it.</source>
        <translation>本窗口为只读：另一个 abc-mdt 窗口正在使用病例库（%1）。请关闭那个窗口后重新打开病例再修改。</translation>
    </message>
    <message>
        <source>The case has %1 problem(s); they are marked at their fields. Fix them and save again. Your typing is kept (and autosaved as a draft).</source>
        <translation>病例有 %1 处问题，已在相应字段标出。请修改后再保存。已输入的内容会保留（并自动保存为草稿）。</translation>
    </message>
    <message>
        <source>save the case</source>
        <translation>保存病例</translation>
    </message>
    <message>
        <source>Kept on this PC %1 · sent when the case server is back · %2</source>
        <translation>已保存在本机 %1 · 服务器恢复后发送 · %2</translation>
    </message>
    <message>
        <source>Saved %1 · version %2 · %3</source>
        <translation>已保存 %1 · 第 %2 版 · %3</translation>
    </message>
    <message>
        <source>compare with the stored case</source>
        <translation>与已保存的病例比较</translation>
    </message>
    <message>
        <source>Import case JSON</source>
        <translation>导入病例JSON</translation>
    </message>
    <message>
        <source>Not imported</source>
        <translation>未导入</translation>
    </message>
    <message>
        <source>import %1</source>
        <translation>导入 %1</translation>
    </message>
    <message>
        <source>export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <source>Export case JSON</source>
        <translation>导出病例JSON</translation>
    </message>
    <message>
        <source>Save case as JSON</source>
        <translation>将病例保存为JSON</translation>
    </message>
    <message>
        <source>Not written</source>
        <translation>未写入</translation>
    </message>
    <message>
        <source>Written %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <source>The report module is not installed in this build.</source>
        <translation>此版本未安装报告模块。</translation>
    </message>
    <message>
        <source>Complete the case first: the report needs a valid case.</source>
        <translation>请先完成病例录入：生成报告需要有效的病例。</translation>
    </message>
    <message>
        <source>read the autosaved drafts</source>
        <translation>读取自动保存的草稿</translation>
    </message>
    <message>
        <source>recover the draft</source>
        <translation>恢复草稿</translation>
    </message>
    <message>
        <source>Draft not readable</source>
        <translation>草稿无法读取</translation>
    </message>
    <message>
        <source>The draft could not be read.</source>
        <translation>无法读取该草稿。</translation>
    </message>
</context>
<context>
    <name>TherapiesPage</name>
    <message>
        <source>&amp;Add therapy</source>
        <translation>添加治疗(&amp;A)</translation>
    </message>
    <message>
        <source>Remove therapy</source>
        <translation>移除治疗</translation>
    </message>
    <message>
        <source>Therapy</source>
        <translation>治疗</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>治疗阶段</translation>
    </message>
    <message>
        <source>Advanced line</source>
        <translation>晚期治疗线数</translation>
    </message>
    <message>
        <source>Only for advanced-disease therapy: 1, 2, 3 ...</source>
        <translation>仅晚期治疗填写：1、2、3……</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>药物</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Empty while ongoing</source>
        <translation>仍在治疗中则留空</translation>
    </message>
    <message>
        <source>Stop reason</source>
        <translation>停药原因</translation>
    </message>
    <message>
        <source>Progression date</source>
        <translation>进展日期</translation>
    </message>
    <message>
        <source>When disease progressed on or after this therapy</source>
        <translation>本治疗期间或之后疾病进展的日期</translation>
    </message>
    <message>
        <source>Best response</source>
        <translation>最佳疗效</translation>
    </message>
    <message>
        <source>The line and endocrine status are shown when the case is valid.</source>
        <translation>病例有效后显示治疗线数与内分泌治疗状态。</translation>
    </message>
    <message>
        <source>5 · Treatment history</source>
        <translation>5 · 治疗史</translation>
    </message>
    <message>
        <source>Every systemic treatment ever given, in any order. Type drug names in Chinese or English.</source>
        <translation>既往所有全身治疗，顺序不限。药物名称可输入中文或英文。</translation>
    </message>
</context>
<context>
    <name>ViewFiles</name>
    <message>
        <source>Not written</source>
        <translation>未写入</translation>
    </message>
</context>
<context>
    <name>ViewMenus</name>
    <message>
        <source>Export F&amp;HIR bundle…</source>
        <translation>导出 FHIR 资源包(&amp;H)…</translation>
    </message>
    <message>
        <source>Export pseudonymised FHIR bundle…</source>
        <translation>导出假名化 FHIR 资源包…</translation>
    </message>
    <message>
        <source>Import FHIR &amp;bundle…</source>
        <translation>导入 FHIR 资源包(&amp;B)…</translation>
    </message>
    <message>
        <source>Export &amp;list…</source>
        <translation>导出列表(&amp;L)…</translation>
    </message>
    <message>
        <source>Prin&amp;t list…</source>
        <translation>打印列表(&amp;T)…</translation>
    </message>
    <message>
        <source>Case &amp;archive (export / import many cases)…</source>
        <translation>病例归档：批量导出与导入(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Meeting agenda and present mode…</source>
        <translation>会议议程与演示模式(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Back to the meeting (save the decision)</source>
        <translation>返回会议（保存决定）(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Follow-up worklist…</source>
        <translation>随访工作清单(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Concordance audit…</source>
        <translation>指南符合率审计(&amp;C)…</translation>
    </message>
    <message>
        <source>Guideline-edition &amp;impact…</source>
        <translation>指南版本影响(&amp;I)…</translation>
    </message>
    <message>
        <source>Audit &amp;log (read-only)…</source>
        <translation>审计日志（只读）(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Board</source>
        <translation>MDT会议(&amp;B)</translation>
    </message>
    <message>
        <source>No case store</source>
        <translation>没有病例库</translation>
    </message>
    <message>
        <source>This view reads the case store, which is not open.</source>
        <translation>此视图需要读取病例库，但病例库未打开。</translation>
    </message>
    <message>
        <source>Record the decision, then Board → Back to the meeting (Ctrl+Shift+M) saves it and shows the next case.</source>
        <translation>请记录决定，然后选择“MDT会议 → 返回会议”（Ctrl+Shift+M）保存并显示下一例。</translation>
    </message>
</context>
</TS>
