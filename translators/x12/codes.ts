/**
 * The X12 acknowledgement code lists, with their meaning in plain words: TA1 note codes (I18),
 * AK3/IK3 segment syntax codes (720/620), AK4/IK4 element syntax codes (723/621),
 * AK5/IK5 transaction set codes (718/618) and AK9 functional group codes (716).
 */

export const TA1_NOTES: Readonly<Record<string, string>> = {
  '000': 'no error',
  '001': 'the interchange control number in the header and trailer do not match',
  '002': 'this standard as noted in the control standards identifier is not supported',
  '003': 'this version of the controls is not supported',
  '004': 'the segment terminator is invalid',
  '005': 'invalid interchange id qualifier for sender',
  '006': 'invalid interchange sender id',
  '007': 'invalid interchange id qualifier for receiver',
  '008': 'invalid interchange receiver id',
  '009': 'unknown interchange receiver id',
  '010': 'invalid authorization information qualifier value',
  '011': 'invalid authorization information value',
  '012': 'invalid security information qualifier value',
  '013': 'invalid security information value',
  '014': 'invalid interchange date value',
  '015': 'invalid interchange time value',
  '016': 'invalid interchange standards identifier value',
  '017': 'invalid interchange version id value',
  '018': 'invalid interchange control number value',
  '019': 'invalid acknowledgment requested value',
  '020': 'invalid test indicator value',
  '021': 'invalid number of included groups value',
  '022': 'invalid control structure',
  '023': 'improper (premature) end-of-file',
  '024': 'invalid interchange content',
  '025': 'duplicate interchange control number',
  '026': 'invalid data element separator',
  '027': 'invalid component element separator',
};

export const SEGMENT_CODES: Readonly<Record<string, string>> = {
  '1': 'unrecognized segment id',
  '2': 'unexpected segment',
  '3': 'mandatory segment missing',
  '4': 'loop occurs over maximum times',
  '5': 'segment exceeds maximum use',
  '6': 'segment not in defined transaction set',
  '7': 'segment not in proper sequence',
  '8': 'segment has data element errors',
};

export const ELEMENT_CODES: Readonly<Record<string, string>> = {
  '1': 'mandatory data element missing',
  '2': 'conditional required data element missing',
  '3': 'too many data elements',
  '4': 'data element too short',
  '5': 'data element too long',
  '6': 'invalid character in data element',
  '7': 'invalid code value',
  '8': 'invalid date',
  '9': 'invalid time',
  '10': 'exclusion condition violated',
  '12': 'too many repetitions',
  '13': 'too many components',
};

export const TRANSACTION_CODES: Readonly<Record<string, string>> = {
  '1': 'transaction set not supported',
  '2': 'transaction set trailer missing',
  '3': 'transaction set control number in header and trailer do not match',
  '4': 'number of included segments does not match actual count',
  '5': 'one or more segments in error',
  '6': 'missing or invalid transaction set identifier',
  '7': 'missing or invalid transaction set control number',
  '23': 'transaction set control number not unique within the functional group',
  I5: 'implementation one or more segments in error',
};

export const GROUP_CODES: Readonly<Record<string, string>> = {
  '1': 'functional group not supported',
  '2': 'functional group version not supported',
  '3': 'functional group trailer missing',
  '4': 'group control number in the functional group header and trailer do not agree',
  '5': 'number of included transaction sets does not match actual count',
  '6': 'group control number violates syntax',
  '19': 'functional group control number not unique within interchange',
};

export function describe(table: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(table, code) ? table[code]! : `code ${code}`;
}
