"""What the demo's records say, drawn for what they are: a need's text for its category (and, in
市西街道, for the resident's kind of disability), a case's reason for its client's disability, a
visit's policies and door services for the household it reaches."""

from __future__ import annotations

from wushe.registry.models import DisabilityCategory as D

# 市西街道's precise services (seed 000): 心理慰藉, 辅助就业, 康复训练 — three texts each (the
# demo draws one of three), 康复训练 for the resident's kind of disability.
SHIXI_NEED_TEXT: dict[str, list[str]] = {
    "psych": ["照护压力大，需要心理疏导", "长期居家，情绪低落，希望有人陪伴聊天", "家属焦虑，需要心理支持"],
    "employment": ["希望学习直播带货，实现居家就业", "有劳动能力，希望找到辅助性就业岗位", "想参加手工技能培训"],
}  # fmt: skip
SHIXI_REHAB_TEXT: dict[int, list[str]] = {
    D.PHYSICAL: ["需要肢体康复训练指导", "需要康复辅具和居家康复训练", "行走困难，希望有人上门指导康复训练"],
    D.MENTAL: ["病情稳定，需要社区精神康复训练", "希望参加社区康复站的日间康复活动", "需要服药管理和社交康复训练"],
    D.INTELLECTUAL: ["需要生活自理能力训练", "希望参加日间照料和康复训练", "需要认知和语言康复训练"],
    D.VISION: ["需要定向行走训练", "希望学习使用读屏软件和助视器", "需要低视力康复指导"],
    D.HEARING: ["需要助听器验配和听觉康复训练", "希望学习手语，改善与家人的沟通", "助听器老化，需要重新验配"],
    D.SPEECH: ["需要言语康复训练", "希望得到发音和沟通训练指导", "需要言语康复评估"],
    D.MULTIPLE: ["多重残疾，需要上门综合康复指导", "需要康复辅具和居家康复训练", "希望家属学习照护和康复技巧"],
}  # fmt: skip


def shixi_need_text(code: str, disability: int) -> list[str]:
    return SHIXI_REHAB_TEXT[disability] if code == "rehab" else SHIXI_NEED_TEXT[code]


# Needs the autumn round of visits finds (still open at the end of November), by disability.
SHIXI_AUTUMN_NEEDS: dict[int, tuple[str, list[str]]] = {
    D.PHYSICAL: ("barrier_free", ["楼道台阶多，轮椅出入困难，希望加装坡道", "卫生间需要安装扶手", "家门口需要无障碍改造"]),
    D.MENTAL: ("medical", ["需要定期复诊，希望有人陪同就医", "药物副作用明显，希望医生上门评估", "家属希望了解住院治疗的报销政策"]),
    D.INTELLECTUAL: ("daily_care", ["父母年迈，日常照料困难", "白天无人照看，希望参加日间照料", "需要生活照料服务"]),
    D.VISION: ("aids", ["盲杖损坏，需要更换", "希望申请助视器", "需要适配读屏手机"]),
    D.HEARING: ("aids", ["助听器电池和维修需要帮助", "希望申请助听器", "需要适配闪光门铃等提示设备"]),
    D.SPEECH: ("policy", ["咨询残疾人两项补贴的申请", "咨询康复救助政策", "咨询残疾人证换证手续"]),
    D.MULTIPLE: ("daily_care", ["重度残疾，家属照护吃力，需要居家照护服务", "需要定期上门助浴", "希望申请重度残疾人照护服务"]),
}  # fmt: skip

# 云门山街道's needs found on the poverty visits (seed 002), by category.
YMS_NEED_TEXT: dict[str, list[str]] = {
    "policy": ["咨询防返贫监测政策", "低保年审材料不会准备，需要协助", "咨询医疗救助和临时救助的申请条件"],
    "medical": ["慢性病用药负担重，需要办理慢病备案", "老人行动不便，需要陪同就医", "咨询大病保险报销手续"],
    "employment": ["家中劳动力希望就近务工", "希望参加技能培训后外出务工", "希望为家人安排公益岗位"],
    "daily_care": ["独居老人日常生活照料不足", "冬季取暖困难，需要帮助", "老人行动不便，需要定期上门助洁"],
    "education": ["子女上学交通不便", "孩子需要申请教育资助", "孩子学习跟不上，希望有志愿者辅导"],
    "barrier_free": ["老人如厕困难，需要安装扶手", "门口台阶高，轮椅出入困难", "卫生间地面湿滑，需要防滑改造"],
}  # fmt: skip

# 市西街道's cases: the reason for opening one, for the client's disability.
CASE_REASONS: dict[int, list[str]] = {
    D.PHYSICAL: ["肢体残疾，独居，日常生活照料不足", "肢体残疾，行动不便，需要辅具适配和康复训练"],
    D.MENTAL: ["精神障碍康复期，家属照护压力大", "精神残疾，病情反复，需要服药管理和社区康复"],
    D.INTELLECTUAL: ["智力残疾青年，有辅助就业意愿", "智力残疾，父母年迈，需要规划长期照料"],
    D.VISION: ["视力残疾，出行困难，需要辅具适配", "视力残疾，独居，需要定向行走训练和生活支持"],
    D.HEARING: ["听力残疾老人，与家人沟通困难，情绪低落", "听力残疾，助听器损坏，需要验配和康复"],
    D.SPEECH: ["言语残疾，社会交往困难，需要沟通训练", "言语残疾儿童，需要言语康复和入学支持"],
    D.MULTIPLE: ["重度残疾，家庭经济困难，需要链接救助政策", "多重残疾，家属照护吃力，需要居家照护服务"],
}  # fmt: skip

# 五门一声: the policies explained (政策进门) and the services done at the door (服务上门).
VISIT_POLICIES: dict[int, str] = {
    D.PHYSICAL: "残疾人两项补贴、辅具适配与社区租赁",
    D.MENTAL: "残疾人两项补贴、严重精神障碍患者免费服药",
    D.INTELLECTUAL: "残疾人两项补贴、托养和日间照料服务",
    D.VISION: "残疾人两项补贴、视力残疾辅具适配",
    D.HEARING: "残疾人两项补贴、助听器适配补贴",
    D.SPEECH: "残疾人两项补贴、言语康复救助",
    D.MULTIPLE: "残疾人两项补贴、困难重度残疾人照护",
}
VISIT_SERVICES: dict[int, list[str]] = {
    D.PHYSICAL: ["rehab", "aids", "repair"],
    D.MENTAL: ["paperwork", "medical"],
    D.INTELLECTUAL: ["cleaning", "paperwork"],
    D.VISION: ["paperwork", "aids", "cleaning"],
    D.HEARING: ["aids", "paperwork"],
    D.SPEECH: ["paperwork"],
    D.MULTIPLE: ["cleaning", "meals", "rehab"],
}
RESIDENT_WORDS = [
    "谢谢社工经常来看我",
    "希望社区多组织一些我们能参加的活动",
    "补贴已经按时到账了",
    "孩子的事情让我们很操心",
    "有你们在，心里踏实多了",
]
