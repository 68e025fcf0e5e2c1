package redact

import "strings"

// Word lists for the name detector. They are data, not tuning: surnames
// are the common ones of each country (with the North Korean ㄹ/ㄴ forms,
// since fold matching does not apply inside these sets), given-name
// syllables and characters are the ones frequent in names and rare at the
// start of ordinary words, and context words are how testimonies refer to
// people.

// setOf builds a set from space-separated words.
func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// runeSet builds a set of the runes of s, ignoring spaces.
func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' {
			m[r] = true
		}
	}
	return m
}

var (
	// koSurnames are Korean surnames in Hangul, in both North Korean
	// (리 류 림 라 로 량 렴 룡 려) and South Korean spellings, plus the
	// Hangul readings of common Chinese surnames (왕 장 류 진 …).
	koSurnames = setOf(`김 리 이 박 최 정 강 조 윤 장 림 임 한 오 서 신 권 황 안 송 류 유 전 홍 고
		문 양 량 손 배 백 허 남 심 로 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변
		염 렴 여 려 추 도 소 석 선 설 마 길 연 위 표 명 기 반 라 나 왕 금 옥 육 인 맹 제 모 탁 국
		어 은 편 용 룡 예 봉 경 사 부 황 계 피 빈 태 범 좌 팽 승 간 상 시 호 당 탕 두 초 묵 대`)
	// koCompound are two-syllable Korean surnames.
	koCompound = setOf(`남궁 황보 제갈 선우 독고 사공 서문 동방 어금 망절 장곡`)
	// koAmbiguous are surnames that also start many ordinary words; they
	// need a context word or a clearly name-like given name.
	koAmbiguous = setOf(`이 안 한 정 조 전 장 강 고 문 신 주 유 구 방 우 공 남 지 민 도 소 차 기 상 시 대 부 사 어 여 연 원 인 제 진 천 호 모 반 명 용 위 성 선 설 마 길 석 초 두 당 나 노 로 예 경 표 금 국 계 피 빈 태 범 간 승 하 허 수 오 육 옥 양 배 서 손`)
	// koGiven are syllables common in given names, North and South.
	koGiven = runeSet(`영순희옥숙자미정은경혜선명화향금련연실애복춘란난주진성현지수아윤서민하나유림임설월송분덕
		심녀여례예효인매단홍청려라해철호남일광룡용혁국석준훈기동만식길학범웅건상규원환태택재근종창우승대필봉
		천섭권삼세평찬표협군빈훈혁옥향분옥봉란휘경찬균수웅률률송락락령령녕윤률송찬호성희`)
	// koCommon are words that look like surname+given but are not names.
	koCommon = setOf(`전화기 정말로 이상한 한동안 안전원 보안원 보위원 조선말 조선족 주민들 강제로 고생을 한국말 중국말
		남자들 여자들 남편이 이야기 이번에 이후로 이전에 정도로 조금씩 한참을 한번은 한동안 정신을 고향을 고향에
		장마당 안전부 보위부 보안서 동무들 동지들 선생님 사람들 신분증 공민증 전화를 전화로 주소를 정부가
		한족 한국 중국 조선 북한 남한 일본 미국 러시아 강물 강가 강을 방안 방에 우리 문제 문을 신발 신고 신세
		김치 김장 박스 최고 최근 최후 정말 정도 정신 정부 조금 조사 조심 조용 윤리 장사 장소 장마 임신 임금
		한번 한국 한참 한테 오늘 오후 오전 서로 서류 신분 권리 황당 안전 안내 송환 유명 유일 전화 전부 전에
		홍수 고생 고향 고통 문제 양식 손님 배고 백성 허락 남자 남편 심지 노동 로동 하루 하나 차라 주민 주인 우리
		구류 민족 진짜 지금 지역 천천 방법 공안 현재 함께 변방 염려 여자 여기 추방 도망 소리 석방 선생 설명 마음
		길림 연길 위에 표시 명령 기차 기억 반년 라면 나이 왕청 금방 옥수 육지 인민 맹세 제일 모두 탁아 국경 어머
		은행 편지 용기 예전 봉사 경찰 사람 부모 계속 피해 빈손 태어 범죄 간부 상황 시간 호구 당시 두만 초대 대방
		사장 사장이 사장님 두만강 압록강 백두산 어머니 아버지 할머니 할아버지 선생님
		손전화 이웃 전화기 핸드폰 휴대폰 이웃집 남동생 여동생 한국인 조선인 중국인 이번 이제 이미 이것 그것 저것
		김일성 김정일 김정은 김여정 김형직 김형권 리설주 시진핑 모택동 등소평 문재인 윤석열 리명박 이명박 박근혜`)
	// koPublic are public figures: listed, but kept by default.
	koPublic = setOf(`김일성 김정일 김정은 김여정 리설주 이설주 시진핑 모택동 모택동이 등소평 문재인 윤석열 이명박 박근혜`)

	// koHonorific are words that follow a name, attached or as the next
	// word: 김영희 씨, 영희언니, 철수 동무.
	koHonorific = append(koTitles, []string{
		"씨", "언니", "오빠", "동무", "동지", "아저씨", "아주머니", "아줌마", "할머니", "할아버지",
		"선생님", "선생", "이모", "삼촌", "형님", "형", "누나", "사장님", "사장", "목사님", "목사", "선교사",
		"전도사", "집사", "장로", "반장", "과장", "부장", "소장", "지배인", "여사", "부인", "님", "아바이",
		"오마니", "동생", "네 집", "네집", "네",
	}...)
	// koTitles are the titles of officials and bosses, said after a
	// surname: 박 보위원, 김안전원, 리 지도원, 최 반장. An official named
	// once this way is named enough to be found by whoever held the post.
	koTitles = sortedByLength(strings.Fields(`보위지도원 보위원 안전원 보안원 지도원 계호원 담임 교원 감독 소대장 중대장 대대장 분대장
		대장 처장 국장 과장 부장 소장 반장 작업반장 분조장 인민반장 위원장 책임비서 당비서 비서 지배인 기사장 검사 판사
		경찰관 공안 사장님 사장 주임 관리원 경비원 교장 원장 실장 팀장 대표`))
	// koRoles are words before a name that say a person is named.
	koRoles = setOf(`큰딸 작은딸 막내딸 맏딸 큰아들 작은아들 막내아들 맏아들 녀동생 형 형님 누나 아내 큰언니
		남편 전남편 브로커 중개인 중개자 소개인 언니 오빠 동생 친구 사장 주인 시어머니 시아버지
		시누이 아들 딸 이름은 이름이 성함은 담당 보위원 보위지도원 안전원 보안원 경찰 공안 목사 선교사 전도사
		장로 집사 남자 여자 사람 아저씨 아주머니 할머니 동무 이웃 조선족 한족 중국인 가이드 운전수 기사 군인 통역
		어머니 아버지 엄마 아빠 남동생 여동생 친척 사촌 고모 이모 삼촌 외삼촌 딸인 아들인 남편인 언니인 친구인
		브로커인 남편은 남편이 남편의 언니는 언니가 친구는 친구가 브로커는 브로커가 이름 성은 성이 대방 인신매매범
		중국남자 시집 애인 동거인 주인집 집주인 사장인 매형 형부 올케 며느리 손녀 손자 조카`)
	// koKin are kinship words: after one, a bare word is most often a
	// name (큰딸 나래는, 아들 한결이); before a name's -이 they are whose
	// kin (봉선이 어머니).
	koKin = sortedByLength(strings.Fields(`딸 큰딸 작은딸 막내딸 맏딸 외동딸 아들 큰아들 작은아들 막내아들 맏아들 외아들 남편 전남편 아내 처 언니 큰언니 오빠 형 형님 누나
		동생 남동생 여동생 녀동생 어머니 엄마 아버지 아빠 할머니 할아버지 이모 고모 삼촌 외삼촌 조카 손녀 손자 사촌 올케 며느리 시어머니 시아버지 친구 동무`))
	// koAfterKin are words said of kin after a kinship word, not names:
	// 어머니 소식, 딸 생각, 남편 집.
	koAfterKin = setOf(`소식 생각 얼굴 이름 집 말 편지 전화 사진 일 걱정 때문 쪽 몫 나이 옷 돈 밥 방 학교 병 몸 손 눈 목소리 모습 친구 가족 남편 아내
		고향 마음 꿈 무덤 묘 장례 제사 결혼 생일 앞 뒤 옆 곁 품 덕 탓 대신 몰래 손전화 휴대폰 핸드폰 번호 주소 연락 소개 도움 부탁 허락 이야기
		사람 사이 등 뒤로 모두 둘 셋 하나 역시 또한 먼저 혼자 같이 함께 자신 본인 명의 이름으로 앞에서 집에 집에서`)
	// koFamiliarParticles are the particles the familiar -이 of a name
	// takes: 별이는, 보람이를, 은정이가, 하늘이한테.
	koFamiliarParticles = setOf(`는 를 가 도 의 랑 와 한테 에게 하고 야 만 는요 가요 도요 라는 라고 한테서 에게서 까지 부터 처럼 보다 네 네집 네 집`)
	// koPlatform are the apps a testimony names; 위챗 is no 위 + 챗.
	koPlatform = setOf(`위챗 위쳇 큐큐 카톡 카카오톡 카카오 텔레그램 페이스북 인스타 인스타그램 틱톡 왓츠앱 라인 유튜브 스카이프 웨이신`)
	// koApposed are what may join a role word to the name after it:
	// 딸인 은별이, 언니의 딸.
	koApposed = setOf(`인 이자 되는 되던`)
	// koCaseParticle are particles and copulas that follow nouns, so a
	// word that ends in them is a noun (maybe a name ending in 은: 혜은은);
	// other endings make it a verb form.
	koCaseParticle = setOf(`은 는 이 가 을 를 의 에게 한테 와 과 도 만 이랑 랑 하고 께 께서 이라는 라는 이란 란 이라고 라고 이었다 였다 이다
		이었습니다 였습니다 입니다 이에요 예요 이었어요 였어요 이가 이는 이를 이의 이도 이와 이에게 이한테 에게서 한테서 이네 네 이며 이고`)
	// koEnding are syllables that end verbs, adjectives and particles:
	// a word ending in one is rarely a bare name.
	koEnding = setOf(`에 은 는 을 를 의 도 만 와 과 로 서 면 고 다 요 어 아 지 게 네 며 니 던 데 씩 께 죠 까 야 여 라 랑 든 나 자 며 해 했`)
	// koPersonVerbs follow a person soon after her name: 그날 X를 처음
	// 만났다, X가 찾아왔다. A weak context, less than 씨 or 남편.
	koPersonVerbs = []string{"만났", "만나", "찾아왔", "찾아 왔", "찾아와", "도와", "때렸", "때리", "팔았", "팔아", "데려", "소개", "전화",
		"연락", "울면서", "말했", "말하", "죽었", "잡혀", "결혼", "시집", "감시", "심문", "보고 싶"}
	// koNaming are suffixes that say the word before is a name.
	koNaming = []string{"이라는", "라는", "이라고", "라고", "이란", "란", "이라 부르", "라 부르"}
	// koParticles are endings stripped from a word to find the name or
	// place in it, longest first.
	koParticles = sortedByLength(strings.Fields(`에서부터 에서는 에서도 에서의 에서 으로부터 으로는 으로 로부터 로는 로
		에게서 에게 한테서 한테 까지는 까지 부터 에는 에도 에 의 은 는 이 가 을 를 와 과 도 만 이나 나 이랑 랑 하고
		이라는 라는 이란 란 이라고 라고 이었다 였다 이다 이며 이고 이가 이는 이를 이의 이도 이와 이에게 이한테
		이었고 였고 께 께서 쪽 근처 일대 지역 출신 사람 에선 엔 이네 네 마저 조차 처럼 보다 같이 밖에 에서부터는
		이었는데 였는데 인데 이지만 지만 이면 면 이야 야 아 이요 요 에서의 에로 으로의 로의
		이었습니다 였습니다 입니다 이에요 예요 이었어요 였어요 이었지요 였지요 이라고요 이었던 였던 인
		이라고 했다 이라고요 이라며 라며 이라면서 라면서`))

	// zhSurnames are Chinese surnames, Simplified (Traditional folds to
	// them), including the Korean ones written in Chinese (金 朴 崔).
	zhSurnames = runeSet(`王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁
		任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤
		朴柳闵池车孙卞裴玄河全洪鞠丘庞鲁齐华纪骆甘关康常乔葛温樊兰殷施安郎牛包易柴伍文
		南申禹具琴芮睦片表明奇吉延都阴桂太廉边宣秋庆权`)
	// zhCompound are two-character Chinese surnames.
	zhCompound = setOf(`欧阳 司马 诸葛 上官 皇甫 东方 宇文 长孙 慕容 令狐 夏侯 尉迟 南宫 鲜于 闻人 司徒 公孙 轩辕 端木 独孤 南宫`)
	// zhAmbiguous are surnames that are also common word starts.
	zhAmbiguous = runeSet(`于向常文万易武江龙史高白田马方石安和包全洪关康甘施牛金华齐叶成时路左上东公长明黄钟夏雷鲁乔葛柴伍河池车
		余商谷苗花房凤水云海山林`)
	// zhSurnameOnly are surnames that almost never start an ordinary
	// word: after one of them, any two characters before a verb or a
	// particle are taken as a given name.
	zhSurnameOnly = runeSet(`尹薛闫邹韦卢潘蒋蔡彭曾肖郝龚邵覃汤戴孟熊秦邱姚崔钟谭陆汪廖贾魏袁董冯邓曹韩唐宋梁罗郭胡徐赵杨刘陈张李王
		吴周孙朱何郑谢许吕沈姜范杜程苏任付毛孔严钱顾侯段雷陶黎贺莫郭欧阳司马诸葛上官朴闵裴玄卞鞠`)
	// zhGiven are characters common in given names, Chinese and
	// Korean-in-Chinese (姬 淑 顺 玉).
	zhGiven = runeSet(`英姬淑顺玉爱善贞美惠花春福莲秀兰梅芳红丽华珍凤云霞燕娟静敏洁琳婷雪玲萍艳娜丹慧颖琴倩蓉月香
		建国军伟强刚明永志勇杰涛斌辉磊鹏飞宇浩洋峰成光海波东平新林山文武德庆生福贵财宝龙虎金银铁钢锦
		哲浩俊哲植根锡哲洙镐焕赫铉珠京淑惠贤媛姝姿宁安荣亮振兴家嘉佳琪晓晨阳雨欣悦怡妍瑶露青清秋冬冰
		桂菊竹松柏仁义礼智信忠孝廉耻和顺喜乐欢立伦恩泽润昌盛隆茂宏远达胜利学书才子民中正石元昭亨权植淳
		锡泰圭奎硕喆洙弼万熙喜姬顺允承昇元哲善龙吉实今仙`)
	// zhCommon are words that start with a surname but are not names.
	zhCommon = setOf(`高兴 方便 安全 公安 金钱 马上 白天 明天 黄色 王国 李子 张开 周围 周末 常常 向来 于是 万一 江边
		林子 石头 田地 毛病 文化 宋朝 唐朝 汉族 韩国 朝鲜 平安 安心 安排 安静 平时 时候 和平 成功 成为 金子 现金
		黄金 白色 高中 高山 江山 龙井 华人 中华 周日 周一 程度 任何 任务 付出 付钱 毛泽东 雷锋 范围 余下 谢谢 许多
		罗马 梁山 林业 郭外 何时 何况 朱红 孙子 吴语 陈列 张家 李家 王家 赵家 杨树 刘家 金家 黄家 齐心 叶子 杜鹃
		夏天 冯家 邓小平 习近平 胡锦涛 江泽民 温家宝 金日成 金正日 金正恩 朴槿惠 文在寅 马路 马车 牛奶 包子 关系
		关于 康复 甘心 施工 温暖 兰花 丁字 成都 时间 路上 左边 上海 东北 公司 长春 明白 钟头 雷雨 鲁莽 乔装 葛藤
		柴火 伍佰 河边 池塘 车站 邱陵 全家 全部 全国 洪水 洪灾 方法 方向 石家庄 安图 华侨 文字 文件 武器 易经 史上
		白山 白城 高原 田野 金山 向着 于今 常见 易于 吉利 俄罗斯 罗斯 马来西亚 韩元 方面 方式 安排 关心 高级 黄昏 金额 全身 温度 明年 明白`)
	// zhTitles follow a surname or name: 王老板, 李大哥, 金英姬女士.
	zhTitles = sortedByLength(strings.Fields(`先生 女士 小姐 大哥 大姐 哥 姐 老板 老板娘 师傅 阿姨 叔叔 叔 大爷 大妈 老师
		警官 书记 主任 队长 科长 老太太 老头 奶奶 爷爷 同志 医生 牧师 传道士 夫人 太太 大叔 大婶 嫂子 姐姐 哥哥 妹妹
		弟弟 经理 老总 社长 村长 所长 局长`))
	// zhRoles are words right before a name that say a person is named.
	zhRoles = sortedByLength(strings.Fields(`老公 丈夫 男人 老婆 妻子 婆婆 公公 小姑子 大伯 人贩子 中介 介绍人 老板 朋友
		姐姐 妹妹 哥哥 弟弟 阿姨 警察 邻居 名叫 叫做 叫 姓名 名字叫 名字是 名字 牧师 同事 村长 大哥 大姐 儿子 女儿
		司机 姓 前夫 男朋友 女朋友 婆家 大伯子 小叔子 公安 干部 老乡 朝鲜族 汉族 翻译 房东 向导 蛇头
		妈妈 爸爸 母亲 父亲 他妈 她妈 他爸 婆婆 公公 嫂子 姑姑 舅舅 叔叔 表哥 表姐 姐夫 妹夫 侄子 外甥 孙子 孙女
		老师 师傅 老板娘 工头 领导 姓名是 名叫做 称呼 朋友叫 同乡 室友 买主 卖主`))

	// romSurnames are surnames in Latin letters: Korean (North and South
	// romanisations) and Chinese pinyin.
	romSurnames = setOf(`kim ri rhee lee yi pak park choe choi jong jeong chung jung kang cho jo yun yoon jang chang ryu
		yu yoo rim lim im o oh ko koh kwon song hwang an ahn hong jon jeon chon mun moon ryang yang sin shin paek
		baek ro roh no noh nam ra na son sohn pae bae hyon hyun hyeon kye pyon byun ho huh heo sim shim cha chu ju
		u woo ku koo min jin chin ji chi om eom chae won chon pang bang kong hyon ham pyon yom yeom ryo yeo chu
		do to so sok seok son sun sol sul ma kil gil yon yeon wi pyo myong myeong ki ban pan ra wang kum geum ok yuk
		in maeng je mo tak kuk guk
		wang li zhang liu chen yang huang zhao wu zhou xu sun zhu hu guo he lin gao luo zheng liang xie tang han feng
		deng cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng wei su lu ding ren yao shen zhong cui tan
		fan jin shi liao jia xia fu fang bai zou meng xiong qin qiu hou yin xue yan duan lei long tao mao hao gu gong
		shao wan qian dai mo kong xiang`)
	// romAmbiguous are Latin surnames that are also English words or
	// sentence starts; they need a given name or a title.
	romAmbiguous = setOf(`o u he an so do to no in ma may won ham bang pan ban long song fan sun ye gong mo chin ho ha om ra na ko
		lee min han`)
	// enTitles come before a surname: Mr Kim, Auntie Pak.
	enTitles = setOf(`mr mr. mrs mrs. ms ms. miss madam mister auntie aunt uncle brother sister pastor reverend officer
		comrade dr dr. grandma grandpa granny boss`)
	// enRoles come before a name: my husband Wang, the broker Zhang.
	enRoles = setOf(`husband broker named called name friend sister brother boss owner pastor missionary officer agent
		guide driver neighbour neighbor mother-in-law father-in-law son daughter wife man woman smuggler trafficker
		middleman cousin aunt uncle mother father colleague landlord`)
	// enStop are capitalised words that are not given names.
	enStop = setOf(`the a an he she it we they i in on at when then after before my her his our their this that there
		north south east west china korea chinese korean january february march april may june july august september
		october november december monday tuesday wednesday thursday friday saturday sunday province county city
		village town police ministry security state and but or so if because while with without from into for of
		by as is was were be been mr mrs ms miss god jesus christ church mine farm factory school hospital market
		river mountain bridge station army party people's republic dprk prc un usa japan russia mongolia laos
		thailand vietnam cambodia burma myanmar seoul beijing`)
)

// sortedByLength returns words longest first, so the longest suffix or
// prefix is tried first.
func sortedByLength(words []string) []string {
	out := append([]string(nil), words...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len([]rune(out[j])) > len([]rune(out[j-1])); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Gender a context word implies, for choosing a plausible pseudonym.
var (
	maleWords = setOf(`남편 전남편 오빠 아저씨 형 형님 아버지 시아버지 아들 남동생 삼촌 외삼촌 할아버지 아바이 남자 사장
		중국남자 형부 매형 老公 丈夫 男人 大哥 哥 哥哥 先生 叔 叔叔 大叔 大爷 爷爷 前夫 男朋友 儿子 弟弟 大伯 公公
		husband mr mr. mister brother uncle father son grandpa man boyfriend`)
	femaleWords = setOf(`언니 누나 아주머니 아줌마 할머니 어머니 시어머니 이모 고모 여동생 딸 여자 여사 부인 오마니 올케 며느리
		손녀 老婆 妻子 大姐 姐 姐姐 女士 小姐 阿姨 婆婆 奶奶 大妈 大婶 嫂子 妹妹 女儿 女朋友 老板娘 太太 夫人
		wife mrs mrs. ms ms. miss madam sister aunt auntie mother daughter grandma granny woman girlfriend`)
)
