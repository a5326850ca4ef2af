package advancedoptions

import (
	"encoding/json"
	"fmt"
)

// Migration records one deprecated setting rewritten into its current form.
type Migration struct {
	// Old is the key path of the deprecated setting, e.g. "advancedOptions.maxSizeForCallHistory".
	Old string
	// New is the key path the value was moved to, e.g. "advancedOptions.callHistoryConfig.maxEntries".
	New string
	// Value is the value written at New (a string, number, bool, nil, []any or map[string]any).
	Value any
}

// String formats the migration as "old -> new = value", the value in JSON.
func (m Migration) String() string {
	v, err := json.Marshal(m.Value)
	if err != nil {
		v = []byte(fmt.Sprint(m.Value))
	}
	return fmt.Sprintf("%s -> %s = %s", m.Old, m.New, v)
}
