package sqldb

import "github.com/dossier/dossier"

// checkVersion refuses a write that does not name the version read (sent
// 0: EINVALID) or names another than the row's (have: ECONFLICT), so that
// a concurrent change is never overwritten. what and id name the row.
func checkVersion(what string, id, have, sent int64) error {
	if sent <= 0 {
		return dossier.FieldError("version", "send the version you read, so that a concurrent change is not overwritten")
	}
	if sent != have {
		return dossier.Errorf(dossier.ECONFLICT, "%s %d was changed by someone else (version %d, yours %d): reload and apply your change again",
			what, id, have, sent)
	}
	return nil
}
