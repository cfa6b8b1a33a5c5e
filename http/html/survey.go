package html

// SurveyPage is the public questionnaire a customer fills in: its title and
// questions only, never anything else held about the customer.
type SurveyPage struct {
	Base
	Heading   string
	Questions []SurveyQuestion
	Error     string // the form's error, already translated or the domain message
	Message   string // instead of the form: thanks, expired, answered, unknown
	Done      bool
}

// SurveyQuestion is one question and its input.
type SurveyQuestion struct {
	Name    string // form field name
	Text    string
	Input   string // "text", "textarea" or "select"
	Hint    string
	Options []Choice
	Value   string
	Invalid bool
}

// SurveyLinkPage shows a new questionnaire link to the staff member who made it.
type SurveyLinkPage struct {
	Base
	CustomerName, CustomerURL   string
	URL, Expires, Questionnaire string
}
