package redact

// The gazetteer lists DPRK and PRC provinces and the cities and counties
// testimonies name most: the North Korean border counties, the Yanbian
// prefecture and the rest of China's north-east, and the big cities where
// women are taken to work. It exists to generalise upward (village →
// county → province) and to recognise a place named without its suffix
// (회령에서, 在延吉). Places not in it are still found by their suffix.
//
// Each line is: key | level | parent key | Korean names | Chinese names |
// English names. The first name in each language is the one written when
// generalising; the others are spellings to recognise. Korean names are
// matched through fold (량강도 finds 양강도) and Chinese through hanzi
// (瀋陽 finds 沈阳), so only one spelling of each is needed. Korean
// readings that are also everyday words (통화 "phone call", 위해 "for",
// 집안 "family", 안주, 연대, 소주) are left out of the Korean column.
const gazetteerData = `
kp-pyongyang|1||평양시,평양|平壤市,平壤|Pyongyang
kp-sp|1||평안남도,평남|平安南道|South Pyongan Province,South Pyongan,Pyongannam-do,Pyeongannam-do
kp-np|1||평안북도,평북|平安北道|North Pyongan Province,North Pyongan,Pyonganbuk-do,Pyeonganbuk-do
kp-chagang|1||자강도|慈江道|Chagang Province,Chagang,Jagang
kp-sh|1||황해남도,황남|黄海南道|South Hwanghae Province,South Hwanghae,Hwanghaenam-do
kp-nhw|1||황해북도,황북|黄海北道|North Hwanghae Province,North Hwanghae,Hwanghaebuk-do
kp-kangwon|1||강원도|江原道|Kangwon Province,Kangwon,Gangwon
kp-shg|1||함경남도,함남|咸镜南道|South Hamgyong Province,South Hamgyong,Hamgyongnam-do,Hamgyeongnam-do
kp-nhg|1||함경북도,함북|咸镜北道|North Hamgyong Province,North Hamgyong,Hamgyongbuk-do,Hamgyeongbuk-do
kp-ryanggang|1||량강도|两江道|Ryanggang Province,Ryanggang,Yanggang
kp-rason|1||라선시,라선|罗先市,罗先|Rason,Rajin-Sonbong
kp-nampo|1||남포시,남포|南浦市,南浦|Nampo
kp-chongjin|2|kp-nhg|청진시,청진|清津市,清津|Chongjin,Cheongjin
kp-hoeryong|2|kp-nhg|회령시,회령|会宁市,会宁|Hoeryong,Hoeryeong,Hweryong
kp-kimchaek|2|kp-nhg|김책시,김책|金策市,金策|Kimchaek
kp-nanam|3|kp-chongjin|라남구역,라남|罗南区域,罗南|Ranam,Nanam
kp-musan|2|kp-nhg|무산군,무산|茂山郡,茂山|Musan
kp-onsong|2|kp-nhg|온성군,온성|稳城郡,稳城|Onsong,Onseong
kp-saebyol|2|kp-nhg|새별군,새별,경원군,경원|庆源郡,庆源,塞別郡|Saebyol,Kyongwon,Gyeongwon
kp-undok|2|kp-nhg|은덕군,은덕,경흥군,경흥|恩德郡,庆兴郡|Undok,Kyonghung
kp-puryong|2|kp-nhg|부령군,부령|富宁郡,富宁|Puryong
kp-kyongsong|2|kp-nhg|경성군,경성|镜城郡,镜城|Kyongsong
kp-myongchon|2|kp-nhg|명천군,명천|明川郡,明川|Myongchon
kp-hwasong|2|kp-nhg|화성군,화성|化成郡|Hwasong
kp-kilju|2|kp-nhg|길주군,길주|吉州郡,吉州|Kilju
kp-orang|2|kp-nhg|어랑군,어랑|渔郎郡,渔郎|Orang
kp-yonsa|2|kp-nhg|연사군,연사|延社郡,延社|Yonsa
kp-hwadae|2|kp-nhg|화대군,화대|花台郡|Hwadae
kp-chongori|3|kp-hoeryong|전거리|全巨里|Chongori,Jongori
kp-hyesan|2|kp-ryanggang|혜산시,혜산|惠山市,惠山|Hyesan
kp-samjiyon|2|kp-ryanggang|삼지연시,삼지연군,삼지연|三池渊市,三池渊|Samjiyon,Samjiyeon
kp-taehongdan|2|kp-ryanggang|대홍단군,대홍단|大红湍郡,大红湍|Taehongdan
kp-pochon|2|kp-ryanggang|보천군,보천|普天郡|Pochon
kp-kimhyongjik|2|kp-ryanggang|김형직군|金亨稷郡|Kimhyongjik County
kp-kimjongsuk|2|kp-ryanggang|김정숙군|金正淑郡|Kimjongsuk County
kp-kimhyonggwon|2|kp-ryanggang|김형권군|金亨权郡|Kimhyonggwon County
kp-pungso|2|kp-ryanggang|풍서군,풍서|丰西郡,丰西|Pungso
kp-kapsan|2|kp-ryanggang|갑산군,갑산|甲山郡,甲山|Kapsan
kp-unhung|2|kp-ryanggang|운흥군,운흥|云兴郡,云兴|Unhung
kp-paegam|2|kp-ryanggang|백암군,백암|白岩郡,白岩|Paegam
kp-samsu|2|kp-ryanggang|삼수군,삼수|三水郡,三水|Samsu
kp-kanggye|2|kp-chagang|강계시,강계|江界市,江界|Kanggye,Ganggye
kp-manpo|2|kp-chagang|만포시,만포|满浦市,满浦|Manpo
kp-huichon|2|kp-chagang|희천시,희천|熙川市,熙川|Huichon
kp-chasong|2|kp-chagang|자성군|慈城郡,慈城|Chasong
kp-junggang|2|kp-chagang|중강군,중강|中江郡|Junggang,Chunggang
kp-wiwon|2|kp-chagang|위원군|渭原郡,渭原|Wiwon
kp-chosan|2|kp-chagang|초산군|楚山郡,楚山|Chosan
kp-sinuiju|2|kp-np|신의주시,신의주|新义州市,新义州|Sinuiju
kp-uiju|2|kp-np|의주군,의주|义州郡,义州|Uiju
kp-sakju|2|kp-np|삭주군,삭주|朔州郡|Sakju
kp-pyoktong|2|kp-np|벽동군,벽동|碧潼郡,碧潼|Pyoktong
kp-changsong|2|kp-np|창성군|昌城郡|Changsong
kp-ryongchon|2|kp-np|룡천군,룡천|龙川郡|Ryongchon
kp-jongju|2|kp-np|정주시|定州市|Jongju
kp-kusong|2|kp-np|구성시|龟城市,龟城|Kusong
kp-unsan|2|kp-np|운산군,운산|云山郡|Unsan
kp-cholsan|2|kp-np|철산군,철산|铁山郡|Cholsan
kp-sonchon|2|kp-np|선천군|宣川郡,宣川|Sonchon
kp-nyongbyon|2|kp-np|녕변군,녕변|宁边郡,宁边|Nyongbyon,Yongbyon
kp-pyongsong|2|kp-sp|평성시,평성|平城市|Pyongsong
kp-sunchon|2|kp-sp|순천시|顺川市,顺川|Sunchon
kp-anju|2|kp-sp|안주시|安州市,安州|Anju
kp-kaechon|2|kp-sp|개천시,개천|价川市,价川|Kaechon
kp-tokchon|2|kp-sp|덕천시,덕천|德川市,德川|Tokchon
kp-songchon|2|kp-sp|성천군,성천|成川郡|Songchon
kp-sukchon|2|kp-sp|숙천군,숙천|肃川郡|Sukchon
kp-pukchang|2|kp-sp|북창군,북창|北仓郡|Pukchang
kp-hamhung|2|kp-shg|함흥시,함흥|咸兴市,咸兴|Hamhung,Hamheung
kp-hungnam|3|kp-hamhung|흥남구역,흥남|兴南区域,兴南|Hungnam
kp-tanchon|2|kp-shg|단천시,단천|端川市,端川|Tanchon
kp-sinpo|2|kp-shg|신포시,신포|新浦市|Sinpo
kp-pukchong|2|kp-shg|북청군,북청|北青郡,北青|Pukchong
kp-riwon|2|kp-shg|리원군,리원|利原郡,利原|Riwon
kp-hongwon|2|kp-shg|홍원군,홍원|洪原郡,洪原|Hongwon
kp-yodok|2|kp-shg|요덕군,요덕|耀德郡,耀德|Yodok
kp-kumya|2|kp-shg|금야군,금야|金野郡|Kumya
kp-changjin|2|kp-shg|장진군,장진|长津郡,长津|Changjin
kp-hochon|2|kp-shg|허천군,허천|虚川郡|Hochon
kp-wonsan|2|kp-kangwon|원산시,원산|元山市,元山|Wonsan
kp-munchon|2|kp-kangwon|문천시,문천|文川市|Munchon
kp-tongchon|2|kp-kangwon|통천군|通川郡|Tongchon
kp-anbyon|2|kp-kangwon|안변군,안변|安边郡|Anbyon
kp-pyonggang|2|kp-kangwon|평강군,평강|平康郡|Pyonggang
kp-sariwon|2|kp-nhw|사리원시,사리원|沙里院市,沙里院|Sariwon
kp-songrim|2|kp-nhw|송림시,송림|松林市|Songrim
kp-kaesong|2|kp-nhw|개성시,개성|开城市,开城|Kaesong
kp-hwangju|2|kp-nhw|황주군,황주|黄州郡,黄州|Hwangju
kp-pongsan|2|kp-nhw|봉산군,봉산|凤山郡|Pongsan
kp-koksan|2|kp-nhw|곡산군,곡산|谷山郡|Koksan
kp-haeju|2|kp-sh|해주시,해주|海州市,海州|Haeju
kp-ongjin|2|kp-sh|옹진군,옹진|瓮津郡|Ongjin
kp-sinchon|2|kp-sh|신천군|信川郡|Sinchon
kp-anak|2|kp-sh|안악군,안악|安岳郡|Anak
kp-jaeryong|2|kp-sh|재령군,재령|载宁郡,载宁|Jaeryong
kp-rajin|2|kp-rason|라진|罗津|Rajin
kp-moranbong|3|kp-pyongyang|모란봉구역,모란봉|牡丹峰区域,牡丹峰|Moranbong
kp-mangyongdae|3|kp-pyongyang|만경대구역,만경대|万景台区域,万景台|Mangyongdae
kp-taedonggang|3|kp-pyongyang|대동강구역|大同江区域|Taedonggang District
kp-sosong|3|kp-pyongyang|서성구역|西城区域|Sosong District
kp-sadong|3|kp-pyongyang|사동구역|寺洞区域|Sadong District
kp-rakrang|3|kp-pyongyang|락랑구역,락랑|乐浪区域|Rakrang
kp-ryokpo|3|kp-pyongyang|력포구역|力浦区域|Ryokpo District
kp-hyongjesan|3|kp-pyongyang|형제산구역|兄弟山区域|Hyongjesan District
kp-sonkyo|3|kp-pyongyang|선교구역|船桥区域|Sonkyo District
kp-pyongchon|3|kp-pyongyang|평천구역|平川区域|Pyongchon District
kp-potonggang|3|kp-pyongyang|보통강구역|普通江区域|Potonggang District
kp-tongdaewon|3|kp-pyongyang|동대원구역|东大院区域|Tongdaewon District
kp-ryongsong|3|kp-pyongyang|룡성구역|龙城区域|Ryongsong District
kp-samsok|3|kp-pyongyang|삼석구역|三石区域|Samsok District
kp-taesong|3|kp-pyongyang|대성구역|大城区域|Taesong District
kp-chung|3|kp-pyongyang|중구역|中区域|Chung District
cn-bj|1||베이징,북경|北京市,北京|Beijing,Peking
cn-tj|1||톈진,천진|天津市,天津|Tianjin
cn-sh|1||상하이,상해|上海市,上海|Shanghai
cn-cq|1||충칭,중경|重庆市,重庆|Chongqing
cn-he|1||허베이성,하북성,허베이,하북|河北省,河北|Hebei Province,Hebei
cn-sx|1||산시성,산서성,산서|山西省,山西|Shanxi Province,Shanxi
cn-nm|1||네이멍구,내몽골,내몽고|内蒙古自治区,内蒙古|Inner Mongolia,Nei Mongol
cn-ln|1||랴오닝성,료녕성,요녕성,랴오닝,료녕,요녕|辽宁省,辽宁|Liaoning Province,Liaoning
cn-jl|1||지린성,길림성,지린|吉林省,吉林|Jilin Province,Jilin
cn-hl|1||헤이룽장성,흑룡강성,헤이룽장,흑룡강|黑龙江省,黑龙江|Heilongjiang Province,Heilongjiang
cn-js|1||장쑤성,강소성,장쑤,강소|江苏省,江苏|Jiangsu Province,Jiangsu
cn-zj|1||저장성,절강성,저장,절강|浙江省,浙江|Zhejiang Province,Zhejiang
cn-ah|1||안후이성,안휘성,안후이,안휘|安徽省,安徽|Anhui Province,Anhui
cn-fj|1||푸젠성,복건성,푸젠,복건|福建省,福建|Fujian Province,Fujian
cn-jx|1||장시성,강서성,장시|江西省,江西|Jiangxi Province,Jiangxi
cn-sd|1||산둥성,산동성,산둥,산동|山东省,山东|Shandong Province,Shandong
cn-ha|1||허난성,하남성,허난|河南省,河南|Henan Province,Henan
cn-hb|1||후베이성,호북성,후베이,호북|湖北省,湖北|Hubei Province,Hubei
cn-hn|1||후난성,호남성,후난|湖南省,湖南|Hunan Province,Hunan
cn-gd|1||광둥성,광동성,광둥,광동|广东省,广东|Guangdong Province,Guangdong
cn-gx|1||광시,광서|广西壮族自治区,广西|Guangxi
cn-hi|1||하이난성,해남성,하이난|海南省,海南|Hainan Province,Hainan
cn-sc|1||쓰촨성,사천성,쓰촨|四川省,四川|Sichuan Province,Sichuan
cn-gz|1||구이저우성,귀주성,구이저우|贵州省,贵州|Guizhou Province,Guizhou
cn-yn|1||윈난성,운남성,윈난|云南省,云南|Yunnan Province,Yunnan
cn-xz|1||티베트,시짱|西藏自治区,西藏|Tibet,Xizang
cn-sn|1||산시성,섬서성,섬서|陕西省,陕西|Shaanxi Province,Shaanxi
cn-gs|1||간쑤성,감숙성,간쑤|甘肃省,甘肃|Gansu Province,Gansu
cn-qh|1||칭하이성,청해성,칭하이|青海省,青海|Qinghai Province,Qinghai
cn-nx|1||닝샤,녕하|宁夏回族自治区,宁夏|Ningxia
cn-xj|1||신장,신강|新疆维吾尔自治区,新疆|Xinjiang
cn-hk|1||홍콩|香港|Hong Kong
cn-mo|1||마카오|澳门|Macau,Macao
cn-yanbian|2|cn-jl|연변조선족자치주,연변,옌볜|延边朝鲜族自治州,延边|Yanbian
cn-changchun|2|cn-jl|장춘시,장춘,창춘|长春市,长春|Changchun
cn-jilincity|2|cn-jl|길림시,지린시|吉林市|Jilin City
cn-yanji|2|cn-jl|연길시,연길,옌지|延吉市,延吉|Yanji
cn-tumen|2|cn-jl|도문시,도문,투먼|图们市,图们|Tumen
cn-hunchun|2|cn-jl|훈춘시,훈춘|珲春市,珲春|Hunchun
cn-longjing|2|cn-jl|룡정시,룡정,룽징|龙井市|Longjing
cn-helong|2|cn-jl|화룡시,화룡,허룽|和龙市,和龙|Helong
cn-dunhua|2|cn-jl|돈화시,돈화,둔화|敦化市,敦化|Dunhua
cn-wangqing|2|cn-jl|왕청현,왕청|汪清县,汪清|Wangqing
cn-antu|2|cn-jl|안도현,안투|安图县|Antu
cn-baishan|2|cn-jl|백산시,바이산|白山市|Baishan
cn-tonghua|2|cn-jl|통화시,퉁화|通化市,通化|Tonghua
cn-jian|2|cn-jl|집안시,지안|集安市,集安|Ji'an,Jian
cn-linjiang|2|cn-jl|림강시,린장|临江市,临江|Linjiang
cn-changbai|2|cn-jl|장백현,장백,창바이|长白朝鲜族自治县,长白县,长白|Changbai
cn-siping|2|cn-jl|사평시,쓰핑|四平市,四平|Siping
cn-meihekou|2|cn-jl|매하구시,메이허커우|梅河口市,梅河口|Meihekou
cn-huadian|2|cn-jl|화전시,화뎬|桦甸市,桦甸|Huadian
cn-jiaohe|2|cn-jl|교하시,자오허|蛟河市,蛟河|Jiaohe
cn-shenyang|2|cn-ln|심양시,심양,선양|沈阳市,沈阳|Shenyang
cn-dalian|2|cn-ln|대련시,대련,다롄|大连市,大连|Dalian
cn-dandong|2|cn-ln|단동시,단동,단둥|丹东市,丹东|Dandong
cn-kuandian|2|cn-ln|관전현,콴뎬|宽甸满族自治县,宽甸县,宽甸|Kuandian
cn-fengcheng|2|cn-ln|봉성시,펑청|凤城市|Fengcheng
cn-anshan|2|cn-ln|안산시,안산|鞍山市,鞍山|Anshan
cn-fushun|2|cn-ln|무순시,무순,푸순|抚顺市,抚顺|Fushun
cn-benxi|2|cn-ln|본계시,번시|本溪市,本溪|Benxi
cn-jinzhou|2|cn-ln|금주시,진저우|锦州市,锦州|Jinzhou
cn-yingkou|2|cn-ln|영구시,잉커우|营口市,营口|Yingkou
cn-liaoyang|2|cn-ln|료양시,랴오양|辽阳市,辽阳|Liaoyang
cn-tieling|2|cn-ln|철령시,톄링|铁岭市,铁岭|Tieling
cn-harbin|2|cn-hl|하얼빈시,하얼빈,할빈|哈尔滨市,哈尔滨|Harbin
cn-mudanjiang|2|cn-hl|목단강시,목단강,무단장|牡丹江市,牡丹江|Mudanjiang
cn-qiqihar|2|cn-hl|치치하얼시,치치하얼|齐齐哈尔市,齐齐哈尔|Qiqihar
cn-jiamusi|2|cn-hl|가목사시,가목사,자무쓰|佳木斯市,佳木斯|Jiamusi
cn-daqing|2|cn-hl|대경시,다칭|大庆市,大庆|Daqing
cn-jixi|2|cn-hl|계서시,지시|鸡西市,鸡西|Jixi
cn-suifenhe|2|cn-hl|수분하시,수분하,쑤이펀허|绥芬河市,绥芬河|Suifenhe
cn-dongning|2|cn-hl|동녕시,둥닝|东宁市,东宁|Dongning
cn-muling|2|cn-hl|목릉시,무링|穆棱市,穆棱|Muling
cn-ningan|2|cn-hl|녕안시,닝안|宁安市,宁安|Ning'an,Ningan
cn-hailin|2|cn-hl|해림시,하이린|海林市,海林|Hailin
cn-hegang|2|cn-hl|학강시,허강|鹤岗市,鹤岗|Hegang
cn-yichun|2|cn-hl|이춘시,이춘|伊春市,伊春|Yichun
cn-heihe|2|cn-hl|흑하시,헤이허|黑河市,黑河|Heihe
cn-shangzhi|2|cn-hl|상지시,상즈|尚志市,尚志|Shangzhi
cn-wuchang|2|cn-hl|오상시,우창|五常市|Wuchang
cn-qingdao|2|cn-sd|청도시,칭다오|青岛市,青岛|Qingdao
cn-yantai|2|cn-sd|연대시,옌타이|烟台市,烟台|Yantai
cn-weihai|2|cn-sd|위해시,웨이하이|威海市,威海|Weihai
cn-jinan|2|cn-sd|제남시,지난|济南市,济南|Jinan
cn-weifang|2|cn-sd|유방시,웨이팡|潍坊市,潍坊|Weifang
cn-linyi|2|cn-sd|림기시,린이|临沂市,临沂|Linyi
cn-hohhot|2|cn-nm|후허하오터,호화호특|呼和浩特市,呼和浩特|Hohhot
cn-baotou|2|cn-nm|바오터우,포두|包头市,包头|Baotou
cn-chifeng|2|cn-nm|츠펑,적봉|赤峰市,赤峰|Chifeng
cn-guangzhou|2|cn-gd|광저우|广州市,广州|Guangzhou
cn-shenzhen|2|cn-gd|선전,심천|深圳市,深圳|Shenzhen
cn-dongguan|2|cn-gd|둥관,동관|东莞市,东莞|Dongguan
cn-chengdu|2|cn-sc|청두|成都市|Chengdu
cn-wuhan|2|cn-hb|우한|武汉市,武汉|Wuhan
cn-xian|2|cn-sn|시안|西安市|Xi'an,Xian
cn-nanjing|2|cn-js|난징,남경|南京市,南京|Nanjing
cn-suzhou|2|cn-js|쑤저우|苏州市,苏州|Suzhou
cn-hangzhou|2|cn-zj|항저우,항주|杭州市,杭州|Hangzhou
cn-zhengzhou|2|cn-ha|정저우|郑州市,郑州|Zhengzhou
cn-kunming|2|cn-yn|쿤밍,곤명|昆明市,昆明|Kunming
cn-shijiazhuang|2|cn-he|스자좡,석가장|石家庄市,石家庄|Shijiazhuang
cn-taiyuan|2|cn-sx|타이위안,태원|太原市,太原|Taiyuan
kp-namyang|3|kp-onsong|남양로동자구,남양|南阳劳动者区|Namyang
kp-sambong|3|kp-onsong|삼봉로동자구,삼봉|三峰劳动者区|Sambong
kp-wangjaesan|3|kp-onsong|왕재산|旺载山|Wangjaesan
kp-kangan|3|kp-hyesan|강안동|江岸洞|Kangan-dong
kp-masan|3|kp-hyesan|마산동|马山洞|Masan-dong
kp-yusong|3|kp-hoeryong|유선동,유선로동자구|游仙洞|Yusong,Yuson
kp-kogonwon|3|kp-saebyol|고건원|古乾原|Kogonwon
cn-kaishantun|3|cn-longjing|개산툰진,개산툰|开山屯镇,开山屯|Kaishantun
cn-sanhe|3|cn-longjing|삼합진,삼합|三合镇|Sanhe
cn-laotougou|3|cn-longjing|로두구진,로두구|老头沟镇,老头沟|Laotougou
cn-chaoyangchuan|3|cn-longjing|조양천진,조양천|朝阳川镇,朝阳川|Chaoyangchuan
cn-zhixin|3|cn-longjing|지신진|智新镇|Zhixin
cn-dongshengyong|3|cn-longjing|동성용진,동성용|东盛涌镇,东盛涌|Dongshengyong
cn-baijin|3|cn-longjing|백금향|白金乡|Baijin
cn-chongshan|3|cn-helong|숭선진,숭선|崇善镇,崇善|Chongshan
cn-nanping|3|cn-helong|남평진,남평|南坪镇,南坪|Nanping
cn-dehua|3|cn-helong|덕화진|德化镇|Dehua
cn-xicheng|3|cn-helong|서성진|西城镇|Xicheng
cn-bajia|3|cn-helong|팔가자진,팔가자|八家子镇,八家子|Bajiazi
cn-mingyue|3|cn-antu|명월진|明月镇|Mingyue
cn-erdaobaihe|3|cn-antu|이도백하진,이도백하|二道白河镇,二道白河|Erdaobaihe
cn-yueqing|3|cn-tumen|월청진|月晴镇|Yueqing
cn-liangshui|3|cn-tumen|량수진|凉水镇|Liangshui
cn-shixian|3|cn-tumen|석현진|石岘镇|Shixian
cn-jingxin|3|cn-hunchun|경신진|敬信镇|Jingxin
cn-chunhua|3|cn-hunchun|춘화진|春化镇|Chunhua
cn-yingan|3|cn-hunchun|영안진|英安镇|Ying'an
cn-sanjiazi|3|cn-hunchun|삼가자향|三家子乡|Sanjiazi
cn-yilan|3|cn-yanji|의란진|依兰镇|Yilan
cn-chaoyang|3|cn-yanji|조양가|朝阳街|Chaoyang
cn-tianchi|3|cn-antu|천지|天池|Tianchi
cn-quanhe|3|cn-hunchun|권하|圈河|Quanhe
cn-sanhekou|3|cn-changbai|십이도구|十二道沟|Shierdaogou
cn-jinghong|2|cn-yn|징훙,경홍|景洪市,景洪|Jinghong
cn-mengla|2|cn-yn|멍라|勐腊县,勐腊|Mengla
cn-xishuangbanna|2|cn-yn|시솽반나|西双版纳|Xishuangbanna
kr-seoul|2||서울|首尔,汉城|Seoul
kr-incheon|2||인천|仁川|Incheon
kr-busan|2||부산|釜山|Busan,Pusan
kr-anseong|2||안성|安城|Anseong
la-vientiane|2||비엔티안,위앙짠|万象|Vientiane
la-luangnamtha|2||루앙남타|南塔|Luang Namtha
th-bangkok|2||방콕|曼谷|Bangkok
th-chiangrai|2||치앙라이|清莱|Chiang Rai
th-chiangsaen|2||치앙샌|清盛|Chiang Saen
vn-hanoi|2||하노이|河内|Hanoi
kh-phnompenh|2||프놈펜|金边|Phnom Penh
mn-ulaanbaatar|2||울란바토르|乌兰巴托|Ulaanbaatar,Ulan Bator
mm-yangon|2||양곤|仰光|Yangon
`
