package intake

// A language the survivor's pages are written in. The URL carries it
// (/ko/, /zh/, /en/): Tor Browser always sends Accept-Language: en-US, so
// the header says nothing about her.
type lang string

var languages = []lang{"ko", "zh", "en"}

// catalog holds every string a survivor sees, per language. We keep our own
// map rather than golang.org/x/text/message: the pages need no plurals or
// number formatting, and a map lets a test check that every language has
// every key (TestCatalogComplete). Korean follows ../shared/GLOSSARY.md:
// plain words a North Korean reader knows, no loanwords.
var catalog = map[lang]map[string]string{
	"ko": {
		"langName":       "한국어",
		"title":          "겪은 일 이야기하기",
		"exit":           "빨리 나가기",
		"demo":           "시험용입니다. 진짜 이야기를 여기에 보내지 마세요.",
		"intro":          "이름을 밝히지 않고 겪은 일을 보낼 수 있습니다. 이름, 주소, 전화번호는 쓰지 않아도 됩니다. 언제든지 멈출 수 있습니다.",
		"textLabel":      "겪은 일을 편하게 써 주세요.",
		"send":           "보내기",
		"afterSend":      "보낸 뒤에 숫자가 나옵니다. 그 숫자로 다시 찾아올 수 있습니다.",
		"receiptTitle":   "잘 받았습니다",
		"receiptIntro":   "이야기가 안전하게 보관되었습니다. 아래 숫자는 다시 찾아올 때 쓰는 말입니다. 외워 두거나 안전한 곳에 적어 두세요. 이 숫자를 아는 사람은 이 이야기를 찾을 수 있습니다.",
		"receiptWarning": "이 숫자는 다시 보여 드릴 수 없습니다.",
		"closeTab":       "다른 사람과 함께 쓰는 전화라면, 다 본 뒤에 이 창을 닫으세요.",
		"errTitle":       "보내지 못했습니다",
		"errEmpty":       "아무것도 쓰지 않았습니다. 겪은 일을 써서 다시 보내 주세요.",
		"errTooLarge":    "글이 너무 깁니다. 전화의 “뒤로” 단추를 누르면 쓴 글이 남아 있습니다. 조금 줄여서 다시 보내 주세요.",
		"errMalformed":   "보낸 내용을 읽을 수 없었습니다. 다시 보내 주세요.",
		"errEncoding":    "글자를 읽을 수 없었습니다. 다시 써서 보내 주세요.",
		"errBusy":        "지금 사람이 많습니다. 아무것도 저장되지 않았습니다. “뒤로” 단추를 누르면 쓴 글이 남아 있습니다. 1분쯤 뒤에 다시 보내 주세요.",
		"errStore":       "저장하지 못했습니다. 아무것도 남지 않았습니다. “뒤로” 단추를 누르면 쓴 글이 남아 있습니다. 조금 뒤에 다시 보내 주세요.",
		"errNotFound":    "찾는 쪽이 없습니다.",
		"errMethod":      "이렇게는 열 수 없습니다. 처음 쪽으로 돌아가 주세요.",
		"back":           "처음으로 돌아가기",
	},
	"zh": {
		"langName":       "简体中文",
		"title":          "讲述您的经历",
		"exit":           "快速离开",
		"demo":           "这是测试版本。请不要在这里发送真实的经历。",
		"intro":          "您可以不留姓名，讲述您的经历。不需要写姓名、地址或电话号码。您可以随时停下。",
		"textLabel":      "请按您自己的方式写下您的经历。",
		"send":           "发送",
		"afterSend":      "发送后会显示一串数字。凭这串数字，您以后可以再回来。",
		"receiptTitle":   "已经收到",
		"receiptIntro":   "您的讲述已安全保存。下面的数字是您以后回来时用的取回口令。请记住它，或写在安全的地方。知道这串数字的人可以找到这份讲述。",
		"receiptWarning": "这串数字不会再显示。",
		"closeTab":       "如果这是和别人共用的手机，看完后请关闭这个窗口。",
		"errTitle":       "没有发送成功",
		"errEmpty":       "您还没有写任何内容。请写下您的经历后再发送。",
		"errTooLarge":    "内容太长了。按浏览器的“返回”，您写的内容还在。请删减一些后再发送。",
		"errMalformed":   "无法读取发送的内容。请再发送一次。",
		"errEncoding":    "无法识别其中的文字。请重新写好后再发送。",
		"errBusy":        "现在使用的人很多。什么都没有保存。按浏览器的“返回”，您写的内容还在。请过一分钟左右再发送。",
		"errStore":       "没能保存。什么都没有留下。按浏览器的“返回”，您写的内容还在。请稍后再发送。",
		"errNotFound":    "找不到这个页面。",
		"errMethod":      "无法这样打开。请回到首页。",
		"back":           "回到首页",
	},
	"en": {
		"langName":       "English",
		"title":          "Tell us what happened",
		"exit":           "Leave quickly",
		"demo":           "This is a demonstration. Do not send a real account here.",
		"intro":          "You can tell us what happened without giving your name. You do not need to write a name, an address or a phone number. You may stop at any time.",
		"textLabel":      "Write what happened, in your own way.",
		"send":           "Send",
		"afterSend":      "After you send, you will see a number. With it you can come back.",
		"receiptTitle":   "We received it",
		"receiptIntro":   "Your account is stored safely. The number below is what you use to come back. Remember it, or write it somewhere safe. Anyone who knows this number can find this account.",
		"receiptWarning": "We cannot show this number again.",
		"closeTab":       "If this phone is shared, close this window when you have finished.",
		"errTitle":       "It was not sent",
		"errEmpty":       "Nothing was written. Please write what happened and send again.",
		"errTooLarge":    "The text is too long. Use your browser’s Back button: your text is still there. Please shorten it and send again.",
		"errMalformed":   "What was sent could not be read. Please send again.",
		"errEncoding":    "Some letters could not be read. Please write them again and send.",
		"errBusy":        "Many people are using this now. Nothing was stored. Use your browser’s Back button: your text is still there. Please send again in about a minute.",
		"errStore":       "It could not be stored. Nothing was kept. Use your browser’s Back button: your text is still there. Please send again a little later.",
		"errNotFound":    "This page does not exist.",
		"errMethod":      "This page cannot be opened this way. Please go back to the first page.",
		"back":           "Back to the first page",
	},
}

// text returns the string for key in l, falling back to English so a
// missing translation never shows a key; TestCatalogComplete keeps that
// from happening.
func (l lang) text(key string) string {
	if s, ok := catalog[l][key]; ok {
		return s
	}
	return catalog["en"][key]
}

func parseLang(s string) (lang, bool) {
	for _, l := range languages {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}
