package vault

// provinces names, for reviewers and for statements, the province codes
// the form offers (Answers.Province): the form's own list is in
// intake/questions.go, in her languages, and TestProvinceNames there checks
// that every code it offers has a name here.
var provinces = map[string]string{
	"KP-01": "Pyongyang", "KP-14": "Nampo", "KP-13": "Rason",
	"KP-02": "South Pyongan", "KP-03": "North Pyongan", "KP-04": "Chagang",
	"KP-05": "South Hwanghae", "KP-06": "North Hwanghae", "KP-07": "Kangwon",
	"KP-08": "South Hamgyong", "KP-09": "North Hamgyong", "KP-10": "Ryanggang",
	"CN-JL": "Jilin", "CN-LN": "Liaoning", "CN-HL": "Heilongjiang",
	"CN-NM": "Inner Mongolia", "CN-SD": "Shandong", "CN-HE": "Hebei",
	"CN-BJ": "Beijing", "CN-TJ": "Tianjin", "CN-SH": "Shanghai",
	"CN-JS": "Jiangsu", "CN-ZJ": "Zhejiang", "CN-GD": "Guangdong",
	"CN-YN": "Yunnan", "CN-other": "elsewhere in China", "other": "another country",
}

// ProvinceName returns the English name of a province code from the form
// ("North Hamgyong" for "KP-09"), with "North Korea" or "China" where the
// code says so, or the code itself if it is not one the form offers.
func ProvinceName(code string) string {
	n, ok := provinces[code]
	switch {
	case !ok:
		return code
	case len(code) > 3 && code[:3] == "KP-":
		return n + ", North Korea"
	case len(code) > 3 && code[:3] == "CN-" && code != "CN-other":
		return n + ", China"
	}
	return n
}
