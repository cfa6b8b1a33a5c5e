package demo

// The record layout. Records are laid out in blocks of blockRecords; a block
// of more than minDupBlock records holds its companies and one planted
// duplicate, a second record of an earlier company (in this block or any
// before it), inserted at a seeded place in the block. So about 2% of records are
// duplicates, and any record's role follows from its position alone: no state
// is kept across batches, and GroundTruth needs no generation.
const (
	blockCompanies = 50
	minDupBlock    = 5
	blockRecords   = blockCompanies + 1
	invalidPerMill = 10 // planted invalid values: 1% of companies
)

// Planted invalid values, by the field they break.
const (
	invalidIndustry   = "industry"      // required field left empty
	invalidNeedType   = "need_type"     // required field left empty
	invalidCreditCode = "credit_code"   // wrong check character
	invalidEmail      = "contact_email" // "wang@"
	invalidPhone      = "contact_phone" // too few digits
)

var invalidKinds = []string{invalidIndustry, invalidNeedType, invalidCreditCode, invalidEmail, invalidPhone}

type plan struct {
	seed    uint64
	records int // customer records, duplicates included
}

// slot says what the record at one position is.
type slot struct {
	company int  // the company the record describes
	dup     bool // a planted second record of that company
}

// blockRecs is the number of records in block b.
func (p plan) blockRecs(b int) int { return min(blockRecords, p.records-b*blockRecords) }

// hasDup says whether block b holds a planted duplicate: every block with at
// least minDupBlock companies besides it.
func (p plan) hasDup(b int) bool { return p.blockRecs(b) > minDupBlock }

// blockLen is the number of companies in block b.
func (p plan) blockLen(b int) int {
	if p.hasDup(b) {
		return p.blockRecs(b) - 1
	}
	return p.blockRecs(b)
}

// dupPos is the offset of the duplicate within its block's records: after at
// least one company of the block.
func (p plan) dupPos(b int) int {
	return 1 + int(hash(p.seed, streamPlan, uint64(b))%uint64(p.blockLen(b)))
}

// dupOf is the company a block's duplicate copies: any company before it.
func (p plan) dupOf(b int) int {
	before := b*blockCompanies + p.dupPos(b)
	return int(hash(p.seed, streamPlan, uint64(b)|1<<40) % uint64(before))
}

func (p plan) slot(r int) slot {
	b, o := r/blockRecords, r%blockRecords
	first := b * blockCompanies
	if !p.hasDup(b) {
		return slot{company: first + o}
	}
	switch d := p.dupPos(b); {
	case o == d:
		return slot{company: p.dupOf(b), dup: true}
	case o > d:
		return slot{company: first + o - 1}
	}
	return slot{company: first + o}
}

// recordOf is the position of a company's own (first) record.
func (p plan) recordOf(company int) int {
	b, k := company/blockCompanies, company%blockCompanies
	if p.hasDup(b) && k >= p.dupPos(b) {
		k++
	}
	return b*blockRecords + k
}

// invalid returns the field a company's record breaks on purpose, or "".
func (p plan) invalid(company int) string {
	h := hash(p.seed, streamPlan, uint64(company)|1<<41)
	if h%1000 >= invalidPerMill {
		return ""
	}
	return invalidKinds[(h/1000)%uint64(len(invalidKinds))]
}

// GroundTruth calls emit for every record Generate produces with cfg, in the
// same order, with the id of the record and the id of its cluster: the id of
// the company's original record. Planted duplicates are the records whose
// cluster id differs from their id. It generates nothing, so it is cheap at
// any size. An error from emit stops it and is returned.
func GroundTruth(cfg Config, emit func(recordID, clusterID int64) error) error {
	cfg, err := cfg.normalize()
	if err != nil {
		return err
	}
	p := plan{seed: cfg.Seed, records: cfg.Customers}
	for r := range p.records {
		s := p.slot(r)
		if err := emit(cfg.StartID+int64(r), cfg.StartID+int64(p.recordOf(s.company))); err != nil {
			return err
		}
	}
	return nil
}

// PlantedInvalids calls emit, in record order, for every record that
// Generate gives a deliberately invalid value, with the key of the field it
// breaks: "industry" or "need_type" (a required field left empty),
// "credit_code" (wrong check character), "contact_email" (an address like
// "wang@" on one contact), "contact_phone" (a number with too few digits on
// one contact). About 1% of companies; planted duplicates carry none.
func PlantedInvalids(cfg Config, emit func(recordID int64, field string) error) error {
	cfg, err := cfg.normalize()
	if err != nil {
		return err
	}
	p := plan{seed: cfg.Seed, records: cfg.Customers}
	for r := range p.records {
		s := p.slot(r)
		if kind := p.invalid(s.company); kind != "" && !s.dup {
			if err := emit(cfg.StartID+int64(r), kind); err != nil {
				return err
			}
		}
	}
	return nil
}
