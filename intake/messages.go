package intake

import (
	"fmt"
	"strings"
)

// A language the survivor's pages are written in. The URL carries it
// (/ko/, /zh/, /en/): Tor Browser always sends Accept-Language: en-US, so
// the header says nothing about her.
type lang string

var languages = []lang{"ko", "zh", "en"}

// catalog holds every string a survivor sees, per language. We keep our own
// map rather than golang.org/x/text/message: the pages need no plurals or
// number formatting, and a map lets a test check that every language has
// every key (TestCatalogComplete). Korean follows ../shared/GLOSSARY.md:
// plain words a North Korean reader knows, no loanwords, no exclamation
// marks, no pressure. "{}" is where an argument goes.
var catalog = map[lang]map[string]string{
	"ko": {
		"langName": "한국어",
		"title":    "겪은 일 이야기하기",
		"exit":     "빨리 나가기",
		"demo":     "시험용입니다. 진짜 이야기를 여기에 보내지 마세요.",
		"back":     "처음으로 돌아가기",

		"safetyTitle": "시작하기 전에",
		"safety1":     "이름, 주소, 전화번호는 묻지 않습니다. 쓰지 않아도 됩니다.",
		"safety2":     "지금 쓰는 Tor 프로그램을 계속 쓰세요. 다른 프로그램으로 이 곳을 열지 마세요.",
		"safety3":     "다른 사람과 함께 쓰는 전화라면, 다 쓴 뒤에 이 창을 닫으세요. 이 곳은 전화에 아무것도 남기지 않습니다.",
		"safety4":     "보낸 이야기는 인터넷에 이어지지 않은 기계에서 우리 일꾼만 읽습니다. 당신이 허락한 것만, 이름을 지운 다음에 씁니다.",
		"safety5":     "누가 오면 맨 위의 '빨리 나가기'를 누르세요. 다른 쪽으로 바로 넘어갑니다.",
		"safety6":     "보내기를 누르기 전에는 아무것도 보내지 않습니다. 언제든지 멈출 수 있습니다.",
		"start":       "이야기 쓰기",
		"comeBack":    "전에 받은 열쇠말로 다시 들어가기",
		"helpLink":    "도움을 받을 수 있는 곳",

		"intro":          "편한 만큼만 쓰세요. 모든 것을 자세히 쓰지 않아도 됩니다. 아래 물음에는 답하지 않아도 됩니다.",
		"textLabel":      "겪은 일을 편하게 써 주세요.",
		"questionsTitle": "몇 가지 물음 (답하지 않아도 됩니다)",
		"qWhen":          "언제 있었던 일입니까?",
		"qYear":          "년",
		"qMonth":         "월",
		"qApprox":        "정확하지 않습니다 (대략)",
		"qWhere":         "어디에서 있었던 일입니까? (도나 성 정도만)",
		"qWhat":          "어떤 일이 있었습니까? (여러 개 골라도 됩니다)",
		"qWho":           "누가 그렇게 했습니까?",
		"qSource":        "직접 겪거나 본 일입니까?",
		"qElsewhere":     "이 일을 다른 곳에서 이야기한 적이 있습니까?",
		"qContact":       "우리가 답을 남겨도 됩니까?",
		"noAnswer":       "답하지 않음",
		"filesTitle":     "사진이나 문서 (있으면)",
		"filesHint":      "사진에는 찍은 곳이 남아 있을 수 있습니다. 보내고 싶을 때만 보내세요. 모두 합쳐 {} MB까지 보낼 수 있습니다.",
		"consentTitle":   "이 이야기를 어떻게 써도 됩니까?",
		"consentIntro":   "하나씩 고르세요. 고르지 않은 것은 하지 않습니다. 나중에 열쇠말로 다시 들어와서 거둘 수 있습니다.",
		"use.review":     "우리 단체 사람들만 읽고 보관하는 것",
		"use.publish":    "이름과 알아볼 수 있는 것을 지운 뒤에 세상에 알리는 것",
		"use.quote":      "내가 쓴 말을 그대로 옮겨 싣는 것 (이름은 지웁니다)",
		"use.un":         "유엔(국제 연합) 기관에 전하는 것",
		"use.court":      "재판이나 조사를 하는 기관에 전하는 것",
		"use.recontact":  "우리가 이 곳을 통해 다시 물어보는 것",
		"consentRecall":  "한 번 세상에 알려진 글은 다시 거두어들일 수 없습니다.",
		"afterSend":      "보낸 뒤에 다시 찾아올 때 쓰는 말(열쇠말)이 나옵니다. 그 말로 다시 들어와 답을 보거나, 더 쓰거나, 허락을 거둘 수 있습니다.",
		"send":           "보내기",

		"receiptTitle":   "잘 받았습니다",
		"receiptIntro":   "이야기가 안전하게 보관되었습니다. 아래 여섯 낱말이 다시 찾아올 때 쓰는 말(열쇠말)입니다. 외워 두세요. 적어 둔다면 남이 보지 못하는 곳에 두세요. 이 말을 아는 사람은 이 이야기를 찾을 수 있습니다.",
		"receiptWords":   "열쇠말",
		"receiptDigits":  "숫자가 더 쉬우면 이 숫자를 써도 됩니다",
		"receiptWarning": "이 말은 다시 보여 드릴 수 없습니다.",
		"closeTab":       "다른 사람과 함께 쓰는 전화라면, 다 본 뒤에 이 창을 닫으세요.",
		"checkTitle":     "잘 외웠는지 한 번 써 보세요",
		"checkLabel":     "열쇠말이나 숫자",
		"checkButton":    "맞는지 보기",
		"checkOK":        "맞습니다. 이 말로 다시 들어올 수 있습니다.",
		"checkWrong":     "조금 다릅니다. 다시 보고 한 번 더 써 보세요.",
		"checkLost":      "지금은 맞는지 볼 수 없습니다. 받은 열쇠말은 그대로 쓸 수 있습니다.",

		"returnTitle":  "다시 들어가기",
		"returnIntro":  "전에 받은 여섯 낱말이나 숫자를 쓰세요. 띄어쓰기는 달라도 됩니다.",
		"returnLabel":  "열쇠말이나 숫자",
		"returnButton": "들어가기",

		"statusTitle":     "당신의 이야기",
		"statusArrived":   "{}에 받았습니다.",
		"statusAdditions": "그 뒤에 {}번 더 보내거나 고쳤습니다.",
		"repliesTitle":    "우리의 답",
		"noReplies":       "아직 답이 없습니다. 우리 일꾼이 읽고 답을 남기면 여기에 나옵니다.",
		"addTitle":        "더 쓰기",
		"addLabel":        "덧붙일 이야기",
		"addButton":       "더 보내기",
		"addDone":         "잘 받았습니다. 덧붙인 이야기가 보관되었습니다.",
		"withdrawTitle":   "허락 거두기",
		"withdrawIntro":   "더 이상 하지 말았으면 하는 것을 고르세요. 우리 일꾼에게 전해집니다.",
		"withdrawAll":     "모두 거두기",
		"withdrawButton":  "허락 거두기",
		"withdrawDone":    "전했습니다. 우리는 고른 것을 더 이상 하지 않습니다.",
		"withdrawNone":    "아무것도 고르지 않았습니다.",
		"toStatus":        "내 이야기로 돌아가기",
		"finish":          "끝내고 나가기",
		"finished":        "끝났습니다. 다른 사람과 함께 쓰는 전화라면 이 창을 닫으세요.",

		"helpTitle":   "도움을 받을 수 있는 곳",
		"helpDefault": "마음의 상처는 혼자 견디지 않아도 됩니다. 믿을 수 있는 사람이나 단체에 도움을 청하세요. 이 곳을 운영하는 단체가 연락처를 여기에 적어 둡니다.",

		"errTitle":         "되지 않았습니다",
		"errEmpty":         "아무것도 쓰지 않았습니다. 겪은 일을 쓰거나 사진이나 문서를 골라 다시 보내 주세요.",
		"errTooLarge":      "너무 큽니다. 전화의 “뒤로” 단추를 누르면 쓴 글이 남아 있습니다. 글을 줄이거나 사진을 덜 골라 다시 보내 주세요.",
		"errTooMany":       "사진이나 문서가 너무 많습니다. “뒤로” 단추를 누르고 몇 개를 빼서 다시 보내 주세요.",
		"errMalformed":     "보낸 내용을 읽을 수 없었습니다. “뒤로” 단추를 누르고 다시 보내 주세요.",
		"errEncoding":      "글자를 읽을 수 없었습니다. “뒤로” 단추를 누르고 다시 써서 보내 주세요.",
		"errBusy":          "지금 사람이 많습니다. 아무것도 저장되지 않았습니다. “뒤로” 단추를 누르면 쓴 글이 남아 있습니다. 1분쯤 뒤에 다시 해 주세요.",
		"errStore":         "저장하지 못했습니다. 아무것도 남지 않았습니다. “뒤로” 단추를 누르면 쓴 글이 남아 있습니다. 조금 뒤에 다시 보내 주세요.",
		"errWrongReceipt":  "그 열쇠말로는 찾을 수 없습니다. 낱말이나 숫자를 다시 보고 써 주세요.",
		"errVisitOver":     "시간이 지나 나갔습니다. 열쇠말로 다시 들어와 주세요.",
		"errExpired":       "이 쪽은 이미 보냈거나 시간이 지났습니다. 같은 것이 두 번 보내지지 않도록 막았습니다. 처음 쪽에서 다시 해 주세요. 쓴 글이 있으면 “뒤로” 단추로 돌아가 옮겨 적어 두세요.",
		"errNotFound":      "찾는 쪽이 없습니다.",
		"errMethod":        "이렇게는 열 수 없습니다. 처음 쪽으로 돌아가 주세요.",
		"errUnknownLang":   "그런 말은 없습니다. 아래에서 고르세요.",
		"errTooManyFields": "보낸 내용이 너무 많습니다. “뒤로” 단추를 누르고 다시 보내 주세요.",
	},
	"zh": {
		"langName": "简体中文",
		"title":    "讲述您的经历",
		"exit":     "快速离开",
		"demo":     "这是测试版本。请不要在这里发送真实的经历。",
		"back":     "回到首页",

		"safetyTitle": "开始之前",
		"safety1":     "我们不会问您的姓名、地址或电话号码。您不需要写这些。",
		"safety2":     "请继续使用您现在用的 Tor 浏览器。不要用别的浏览器打开这里。",
		"safety3":     "如果是和别人共用的手机，写完后请关闭这个窗口。这里不会在手机上留下任何东西。",
		"safety4":     "您发送的内容只由我们的工作人员在不联网的电脑上阅读。我们只在您同意的范围内，去掉姓名后使用。",
		"safety5":     "如果有人来了，请按最上面的“快速离开”，页面会马上换成别的网站。",
		"safety6":     "在您按“发送”之前，什么都不会发送。您可以随时停下。",
		"start":       "开始写",
		"comeBack":    "用以前拿到的取回口令进入",
		"helpLink":    "可以求助的地方",

		"intro":          "写多少都可以，不需要把每件事都写得很详细。下面的问题可以不回答。",
		"textLabel":      "请按您自己的方式写下您的经历。",
		"questionsTitle": "几个问题（可以不回答）",
		"qWhen":          "这件事发生在什么时候？",
		"qYear":          "年",
		"qMonth":         "月",
		"qApprox":        "不太确定（大概）",
		"qWhere":         "发生在哪里？（写到省或道就可以）",
		"qWhat":          "发生了什么？（可以选多个）",
		"qWho":           "是谁做的？",
		"qSource":        "是您亲身经历或亲眼看到的吗？",
		"qElsewhere":     "您以前在别的地方讲过这件事吗？",
		"qContact":       "我们可以给您留言吗？",
		"noAnswer":       "不回答",
		"filesTitle":     "照片或文件（如果有）",
		"filesHint":      "照片里可能留有拍摄地点。只有在您愿意时才发送。总共最多 {} MB。",
		"consentTitle":   "这份讲述可以怎样使用？",
		"consentIntro":   "请逐项选择。没有选的，我们不会做。以后您可以用取回口令回来撤回。",
		"use.review":     "只由我们机构的人阅读和保存",
		"use.publish":    "去掉姓名和能认出您的内容后公开",
		"use.quote":      "原文引用您写的话（会去掉姓名）",
		"use.un":         "提供给联合国机构",
		"use.court":      "提供给法院或调查机构",
		"use.recontact":  "我们通过这里再向您询问",
		"consentRecall":  "已经公开的文字无法收回。",
		"afterSend":      "发送后会显示一个取回口令。凭它您可以回来看回复、补充内容或撤回同意。",
		"send":           "发送",

		"receiptTitle":   "已经收到",
		"receiptIntro":   "您的讲述已安全保存。下面六个词是您以后回来时用的取回口令。请记住它。如果要写下来，请放在别人看不到的地方。知道这个口令的人可以找到这份讲述。",
		"receiptWords":   "取回口令",
		"receiptDigits":  "如果数字更容易记，也可以用这串数字",
		"receiptWarning": "这个口令不会再显示。",
		"closeTab":       "如果这是和别人共用的手机，看完后请关闭这个窗口。",
		"checkTitle":     "请试着写一遍，看看是否记住了",
		"checkLabel":     "取回口令或数字",
		"checkButton":    "检查",
		"checkOK":        "正确。您可以用它回来。",
		"checkWrong":     "有些不一样。请再看一遍，然后再写一次。",
		"checkLost":      "现在无法检查。您拿到的口令仍然有效。",

		"returnTitle":  "再次进入",
		"returnIntro":  "请写下以前拿到的六个词或数字。空格不一样也没关系。",
		"returnLabel":  "取回口令或数字",
		"returnButton": "进入",

		"statusTitle":     "您的讲述",
		"statusArrived":   "我们在 {} 收到。",
		"statusAdditions": "之后您又补充或修改了 {} 次。",
		"repliesTitle":    "我们的回复",
		"noReplies":       "还没有回复。我们的工作人员阅读后留言，会显示在这里。",
		"addTitle":        "补充内容",
		"addLabel":        "要补充的内容",
		"addButton":       "发送补充",
		"addDone":         "已经收到。补充的内容已保存。",
		"withdrawTitle":   "撤回同意",
		"withdrawIntro":   "请选择您不希望我们再做的事。我们会转告工作人员。",
		"withdrawAll":     "全部撤回",
		"withdrawButton":  "撤回同意",
		"withdrawDone":    "已经转达。我们不会再做您选择的事。",
		"withdrawNone":    "您没有选择任何一项。",
		"toStatus":        "回到我的讲述",
		"finish":          "结束并离开",
		"finished":        "已经结束。如果是和别人共用的手机，请关闭这个窗口。",

		"helpTitle":   "可以求助的地方",
		"helpDefault": "心里的伤痛不必一个人承受。请向您信任的人或机构求助。运营这里的机构会在这里写上联系方式。",

		"errTitle":         "没有成功",
		"errEmpty":         "您还没有写任何内容。请写下您的经历，或选择照片或文件后再发送。",
		"errTooLarge":      "内容太大了。按浏览器的“返回”，您写的内容还在。请删减一些文字或少选一些照片后再发送。",
		"errTooMany":       "照片或文件太多了。请按“返回”，去掉几个后再发送。",
		"errMalformed":     "无法读取发送的内容。请按“返回”后再发送一次。",
		"errEncoding":      "无法识别其中的文字。请按“返回”，重新写好后再发送。",
		"errBusy":          "现在使用的人很多。什么都没有保存。按浏览器的“返回”，您写的内容还在。请过一分钟左右再试。",
		"errStore":         "没能保存。什么都没有留下。按浏览器的“返回”，您写的内容还在。请稍后再发送。",
		"errWrongReceipt":  "用这个口令找不到。请再看一下词或数字后重新输入。",
		"errVisitOver":     "时间过长，已经退出。请用取回口令重新进入。",
		"errExpired":       "这个页面已经发送过，或已过期。为避免重复发送，已被拦下。请从首页重新开始。如果写了内容，请按“返回”把它抄下来。",
		"errNotFound":      "找不到这个页面。",
		"errMethod":        "无法这样打开。请回到首页。",
		"errUnknownLang":   "没有这种语言。请在下面选择。",
		"errTooManyFields": "发送的内容太多了。请按“返回”后再发送一次。",
	},
	"en": {
		"langName": "English",
		"title":    "Tell us what happened",
		"exit":     "Leave quickly",
		"demo":     "This is a demonstration. Do not send a real account here.",
		"back":     "Back to the first page",

		"safetyTitle": "Before you start",
		"safety1":     "We never ask your name, address or phone number. You do not need to write them.",
		"safety2":     "Keep using the Tor Browser you are using now. Do not open this site in another browser.",
		"safety3":     "If this phone is shared, close this window when you have finished. This site leaves nothing on the phone.",
		"safety4":     "What you send is read only by our staff, on a computer that is not connected to the internet. We use only what you allow, with names removed.",
		"safety5":     "If someone comes, press “Leave quickly” at the top. The page changes to another site at once.",
		"safety6":     "Nothing is sent until you press send. You may stop at any time.",
		"start":       "Start writing",
		"comeBack":    "Come back with the words you were given",
		"helpLink":    "Where to find help",

		"intro":          "Write as much as you wish. You do not need to describe everything in detail. You may skip the questions below.",
		"textLabel":      "Write what happened, in your own way.",
		"questionsTitle": "A few questions (you may skip them)",
		"qWhen":          "When did it happen?",
		"qYear":          "(year)",
		"qMonth":         "(month)",
		"qApprox":        "Not exact (approximately)",
		"qWhere":         "Where did it happen? (province is enough)",
		"qWhat":          "What happened? (choose any)",
		"qWho":           "Who did it?",
		"qSource":        "Did it happen to you, or did you see it?",
		"qElsewhere":     "Have you told this to another organisation before?",
		"qContact":       "May we leave you a reply?",
		"noAnswer":       "No answer",
		"filesTitle":     "Photos or documents (if you have any)",
		"filesHint":      "A photo can show where it was taken. Send one only if you want to. Up to {} MB in all.",
		"consentTitle":   "How may we use your account?",
		"consentIntro":   "Choose each one separately. What you do not choose, we will not do. You can come back later with your words and take it back.",
		"use.review":     "Read and kept only by our organisation",
		"use.publish":    "Published, with your name and anything that could identify you removed",
		"use.quote":      "Your own words quoted exactly (names removed)",
		"use.un":         "Shared with United Nations bodies",
		"use.court":      "Shared with courts or investigators",
		"use.recontact":  "We may ask you more, through this site",
		"consentRecall":  "Text that has already been published cannot be taken back.",
		"afterSend":      "After you send, you will see words to remember. With them you can come back to read a reply, add more, or take back your consent.",
		"send":           "Send",

		"receiptTitle":   "We received it",
		"receiptIntro":   "Your account is stored safely. The six words below are what you use to come back. Remember them. If you write them down, keep them where no one else can see. Anyone who knows these words can find this account.",
		"receiptWords":   "Your words",
		"receiptDigits":  "If numbers are easier, you can use these instead",
		"receiptWarning": "We cannot show these words again.",
		"closeTab":       "If this phone is shared, close this window when you have finished.",
		"checkTitle":     "Type them once, to check you remember them",
		"checkLabel":     "Your words or numbers",
		"checkButton":    "Check",
		"checkOK":        "That is right. You can come back with these words.",
		"checkWrong":     "That is a little different. Look again and type them once more.",
		"checkLost":      "We cannot check now. The words you were given still work.",

		"returnTitle":  "Come back",
		"returnIntro":  "Type the six words or the numbers you were given. Spaces do not matter.",
		"returnLabel":  "Your words or numbers",
		"returnButton": "Enter",

		"statusTitle":     "Your account",
		"statusArrived":   "We received it on {}.",
		"statusAdditions": "You have added to it or changed it {} time(s) since.",
		"repliesTitle":    "Our replies",
		"noReplies":       "No reply yet. When our staff have read it and left a reply, it will be here.",
		"addTitle":        "Add more",
		"addLabel":        "What you want to add",
		"addButton":       "Send",
		"addDone":         "We received it. What you added is stored.",
		"withdrawTitle":   "Take back consent",
		"withdrawIntro":   "Choose what you no longer want us to do. We will tell our staff.",
		"withdrawAll":     "Take back all",
		"withdrawButton":  "Take back",
		"withdrawDone":    "We have passed it on. We will no longer do what you chose.",
		"withdrawNone":    "You did not choose anything.",
		"toStatus":        "Back to my account",
		"finish":          "Finish and leave",
		"finished":        "Finished. If this phone is shared, close this window.",

		"helpTitle":   "Where to find help",
		"helpDefault": "You do not have to carry this alone. Ask a person or an organisation you trust for help. The organisation running this site writes its contacts here.",

		"errTitle":         "That did not work",
		"errEmpty":         "Nothing was written. Please write what happened, or choose a photo or document, and send again.",
		"errTooLarge":      "That is too large. Use your browser’s Back button: your text is still there. Please shorten it or choose fewer files, and send again.",
		"errTooMany":       "There are too many photos or documents. Use the Back button and remove some, then send again.",
		"errMalformed":     "What was sent could not be read. Use the Back button and send again.",
		"errEncoding":      "Some letters could not be read. Use the Back button, write them again and send.",
		"errBusy":          "Many people are using this now. Nothing was stored. Use your browser’s Back button: your text is still there. Please try again in about a minute.",
		"errStore":         "It could not be stored. Nothing was kept. Use your browser’s Back button: your text is still there. Please send again a little later.",
		"errWrongReceipt":  "Nothing was found with those words. Look at the words or numbers again and type them once more.",
		"errVisitOver":     "You were away for a while, so you were signed out. Please come back with your words.",
		"errExpired":       "This page was already sent, or has expired, so it was stopped: nothing is sent twice. Please start again from the first page. If you wrote something, use the Back button and copy it first.",
		"errNotFound":      "This page does not exist.",
		"errMethod":        "This page cannot be opened this way. Please go back to the first page.",
		"errUnknownLang":   "There is no such language. Please choose below.",
		"errTooManyFields": "Too much was sent. Use the Back button and send again.",
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

// textf returns the string for key with its "{}" replaced by arg.
func (l lang) textf(key string, arg any) string {
	return strings.Replace(l.text(key), "{}", fmt.Sprint(arg), 1)
}

func parseLang(s string) (lang, bool) {
	for _, l := range languages {
		if string(l) == s {
			return l, true
		}
	}
	return "", false
}
