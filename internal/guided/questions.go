package guided

// The questions and their choices. Form labels are hers (LANGUAGE-REVIEW.md);
// export labels name the codes as documentation databases would (HURIDOCS
// event formats); show labels are what reviewers have read since the first
// version of review show, the code itself where no other was chosen. Each
// choice reads {code, form labels by language, export label, show label}.

// What asks what happened to her (several may be checked).
var What = Question{Name: "what", Exported: true, Choices: []Choice{
	{"sold", map[string]string{"ko": "누군가에게 팔렸다", "zh": "被卖或被拐卖", "en": "I was sold or trafficked"}, "trafficking in persons", "sold"},
	{"forced-marriage", map[string]string{"ko": "원하지 않는 결혼을 해야 했다", "zh": "被迫结婚", "en": "I was forced to marry"}, "forced marriage", "forced-marriage"},
	{"sexual-violence", map[string]string{"ko": "성폭력을 당했다", "zh": "遭受性暴力", "en": "Sexual violence"}, "sexual violence", "sexual-violence"},
	{"cybersex", map[string]string{"ko": "전화나 기계 화면 앞에서 몸을 보이도록 강요당했다", "zh": "被逼着在手机或电脑视频里给人看身体", "en": "Forced to perform sexual acts on camera"}, "sexual exploitation online", "cybersex"},
	{"forced-labour", map[string]string{"ko": "억지로 일을 해야 했다", "zh": "被迫劳动", "en": "Forced labour"}, "forced labour", "forced-labour"},
	{"repatriated", map[string]string{"ko": "붙잡혔거나 조선(북한)으로 돌려보내졌다", "zh": "被抓或被遣返回朝鲜", "en": "Arrested, or sent back to North Korea"}, "arrest or forced return", "repatriated"},
	{"detained-nk", map[string]string{"ko": "조선(북한)에서 갇혀 있었다 (집결소, 단련대, 교화소 같은 곳)", "zh": "在朝鲜被关押", "en": "Held in detention in North Korea"}, "arbitrary detention (DPRK)", "detained-nk"},
}}

// Who asks who did it (several may be checked).
var Who = Question{Name: "who", Exported: true, Choices: []Choice{
	{"broker", map[string]string{"ko": "사람을 팔거나 넘긴 사람 (중개인)", "zh": "中介或人贩子", "en": "A broker"}, "broker or trafficker", "broker"},
	{"husband", map[string]string{"ko": "같이 살게 된 남자('남편')나 그 집 식구", "zh": "一起生活的男人（“丈夫”）或他家里的人", "en": "The “husband” or his family"}, "purchaser (\"husband\") or his family", "husband"},
	{"police", map[string]string{"ko": "중국 공안이나 조선 보안원(안전원)", "zh": "中国公安或朝鲜保安员", "en": "Chinese or North Korean police"}, "police", "police"},
	{"state-security", map[string]string{"ko": "보위부나 중국 국가안전 기관", "zh": "朝鲜保卫部或中国国家安全部门", "en": "North Korean or Chinese state security"}, "state security", "state-security"},
}}

// Province asks where it happened: ISO 3166-2 codes where there is one.
var Province = Question{Name: "province", Exported: true, Choices: []Choice{
	{"KP-01", map[string]string{"ko": "평양", "zh": "平壤", "en": "Pyongyang"}, "Pyongyang, North Korea", "Pyongyang, North Korea (KP-01)"},
	{"KP-14", map[string]string{"ko": "남포", "zh": "南浦", "en": "Nampo"}, "Nampo, North Korea", "Nampo, North Korea (KP-14)"},
	{"KP-13", map[string]string{"ko": "라선", "zh": "罗先", "en": "Rason"}, "Rason, North Korea", "Rason, North Korea (KP-13)"},
	{"KP-02", map[string]string{"ko": "평안남도", "zh": "平安南道", "en": "South Pyongan"}, "South Pyongan, North Korea", "South Pyongan, North Korea (KP-02)"},
	{"KP-03", map[string]string{"ko": "평안북도", "zh": "平安北道", "en": "North Pyongan"}, "North Pyongan, North Korea", "North Pyongan, North Korea (KP-03)"},
	{"KP-04", map[string]string{"ko": "자강도", "zh": "慈江道", "en": "Chagang"}, "Chagang, North Korea", "Chagang, North Korea (KP-04)"},
	{"KP-05", map[string]string{"ko": "황해남도", "zh": "黄海南道", "en": "South Hwanghae"}, "South Hwanghae, North Korea", "South Hwanghae, North Korea (KP-05)"},
	{"KP-06", map[string]string{"ko": "황해북도", "zh": "黄海北道", "en": "North Hwanghae"}, "North Hwanghae, North Korea", "North Hwanghae, North Korea (KP-06)"},
	{"KP-07", map[string]string{"ko": "강원도", "zh": "江原道", "en": "Kangwon"}, "Kangwon, North Korea", "Kangwon, North Korea (KP-07)"},
	{"KP-08", map[string]string{"ko": "함경남도", "zh": "咸镜南道", "en": "South Hamgyong"}, "South Hamgyong, North Korea", "South Hamgyong, North Korea (KP-08)"},
	{"KP-09", map[string]string{"ko": "함경북도", "zh": "咸镜北道", "en": "North Hamgyong"}, "North Hamgyong, North Korea", "North Hamgyong, North Korea (KP-09)"},
	{"KP-10", map[string]string{"ko": "량강도 (양강도)", "zh": "两江道", "en": "Ryanggang"}, "Ryanggang, North Korea", "Ryanggang, North Korea (KP-10)"},
	{"CN-JL", map[string]string{"ko": "길림성", "zh": "吉林省", "en": "Jilin"}, "Jilin, China", "Jilin, China (CN-JL)"},
	{"CN-LN", map[string]string{"ko": "료녕성 (요령성)", "zh": "辽宁省", "en": "Liaoning"}, "Liaoning, China", "Liaoning, China (CN-LN)"},
	{"CN-HL", map[string]string{"ko": "흑룡강성", "zh": "黑龙江省", "en": "Heilongjiang"}, "Heilongjiang, China", "Heilongjiang, China (CN-HL)"},
	{"CN-NM", map[string]string{"ko": "내몽고", "zh": "内蒙古", "en": "Inner Mongolia"}, "Inner Mongolia, China", "Inner Mongolia, China (CN-NM)"},
	{"CN-SD", map[string]string{"ko": "산동성", "zh": "山东省", "en": "Shandong"}, "Shandong, China", "Shandong, China (CN-SD)"},
	{"CN-HE", map[string]string{"ko": "하북성", "zh": "河北省", "en": "Hebei"}, "Hebei, China", "Hebei, China (CN-HE)"},
	{"CN-BJ", map[string]string{"ko": "북경", "zh": "北京", "en": "Beijing"}, "Beijing, China", "Beijing, China (CN-BJ)"},
	{"CN-TJ", map[string]string{"ko": "천진", "zh": "天津", "en": "Tianjin"}, "Tianjin, China", "Tianjin, China (CN-TJ)"},
	{"CN-SH", map[string]string{"ko": "상해", "zh": "上海", "en": "Shanghai"}, "Shanghai, China", "Shanghai, China (CN-SH)"},
	{"CN-JS", map[string]string{"ko": "강소성", "zh": "江苏省", "en": "Jiangsu"}, "Jiangsu, China", "Jiangsu, China (CN-JS)"},
	{"CN-ZJ", map[string]string{"ko": "절강성", "zh": "浙江省", "en": "Zhejiang"}, "Zhejiang, China", "Zhejiang, China (CN-ZJ)"},
	{"CN-GD", map[string]string{"ko": "광동성", "zh": "广东省", "en": "Guangdong"}, "Guangdong, China", "Guangdong, China (CN-GD)"},
	{"CN-YN", map[string]string{"ko": "운남성", "zh": "云南省", "en": "Yunnan"}, "Yunnan, China", "Yunnan, China (CN-YN)"},
	{"CN-other", map[string]string{"ko": "중국의 다른 곳", "zh": "中国其他地方", "en": "Elsewhere in China"}, "elsewhere in China", "elsewhere in China (CN-other)"},
	{"other", map[string]string{"ko": "다른 나라", "zh": "其他国家", "en": "Another country"}, "another country", "another country (other)"},
}}

// Source asks whether she lived or saw it herself, or heard of it.
var Source = Question{Name: "source", Exported: true, Choices: []Choice{
	{"self", map[string]string{"ko": "내가 직접 겪었거나 보았다", "zh": "我亲身经历或亲眼看到", "en": "It happened to me, or I saw it"}, "first-hand", "saw it herself"},
	{"others", map[string]string{"ko": "다른 사람에게서 들었다", "zh": "我是听别人说的", "en": "I heard it from others"}, "heard from others", "heard it from others"},
}}

// Elsewhere asks whether she told it elsewhere before.
var Elsewhere = Question{Name: "elsewhere", Exported: false, Choices: []Choice{
	{"no", map[string]string{"ko": "아니요", "zh": "没有", "en": "No"}, "", "no"},
	{"yes", map[string]string{"ko": "예", "zh": "有", "en": "Yes"}, "", "yes"},
	{"unsure", map[string]string{"ko": "잘 모르겠습니다", "zh": "不确定", "en": "Not sure"}, "", "unsure"},
}}

// Contact asks whether the team may leave her a reply, read with her receipt.
var Contact = Question{Name: "contact", Exported: false, Choices: []Choice{
	{"receipt", map[string]string{"ko": "예, 이곳에만 남겨 주세요 (열쇠말로 들어와서 봅니다)", "zh": "可以，只留在这里（我用口令回来看）", "en": "Yes, only here (I will come back with my words to read it)"}, "", "receipt"},
	{"none", map[string]string{"ko": "아니요, 답을 남기지 마세요", "zh": "不用，请不要给我留言", "en": "No, please do not leave me a reply"}, "", "none"},
}}
