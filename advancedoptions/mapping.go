package advancedoptions

import (
	"bytes"
	"encoding/json"
)

// Mapping is a free-form map from text keys to text values that keeps the
// order and the case the admin wrote, e.g. customerInfoContextDisplayMapping.
// It renders as a JSON object in that order.
type Mapping []MappingEntry

// MappingEntry is one key and its value.
type MappingEntry struct {
	Key, Value string
}

// Get returns the value of key and whether it is present.
func (m Mapping) Get(key string) (string, bool) {
	for _, e := range m {
		if e.Key == key {
			return e.Value, true
		}
	}
	return "", false
}

// MarshalJSON encodes the entries as one JSON object, in order.
func (m Mapping) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(e.Key)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(e.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

var _ json.Marshaler = Mapping(nil)
