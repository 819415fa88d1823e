/**
 * The VisualEditor namespace: the rows a Lightning component's dynamic picklist offers in Lightning App
 * Builder ("DataRow Class",
 * https://developer.salesforce.com/docs/atlas.en-us.apexref.meta/apexref/apex_class_VisualEditor_DataRow.htm;
 * "DynamicPickListRows Class", "DesignTimePageContext Class"). A project's `extends VisualEditor.DynamicPickList`
 * class overrides getDefaultValue() and getValues(); its tests build and read these rows.
 */
import { defineNative } from '../model/natives.ts';
import { NObj } from './nativeValues.ts';
import { ApexList } from '../run/values.ts';
import { throwNpe, unsupported } from '../run/exceptions.ts';

const ROW = { name: 'VisualEditor.DataRow', args: [], array: 0 };

function dataRow(label: unknown, value: unknown, selected: unknown): NObj {
  const o = new NObj('VisualEditor.DataRow');
  o.set('label', label ?? null);
  o.set('value', value ?? null);
  o.set('selected', selected === true);
  return o;
}

defineNative(
  {
    name: 'VisualEditor.DataRow',
    construct: (f, [label, value, selected]) => dataRow(label, value, selected),
    methods: {
      'String getLabel()': (f, o: NObj) => o.get('label'),
      'Object getValue()': (f, o: NObj) => o.get('value'),
      'Boolean isSelected()': (f, o: NObj) => o.get('selected'),
      'Object clone()': (f, o: NObj) => dataRow(o.get('label'), o.get('value'), o.get('selected')),
      // the reference does not say what orders two rows
      'Integer compareTo(VisualEditor.DataRow)': (f, o, a, site) => unsupported(f, 'VisualEditor.DataRow.compareTo', site),
    },
  },
  'DataRow',
);

function rowsOf(o: NObj): ApexList {
  return o.get<ApexList>('rows');
}

defineNative(
  {
    name: 'VisualEditor.DynamicPickListRows',
    construct: (f, [rows, containsAllRows]) => {
      const o = new NObj('VisualEditor.DynamicPickListRows');
      o.set('rows', new ApexList(rows instanceof ApexList ? [...rows.items] : [], ROW));
      o.set('containsAllRows', containsAllRows !== false);
      return o;
    },
    methods: {
      'void addRow(VisualEditor.DataRow)': (f, o: NObj, [row]) => (rowsOf(o).items.push(row ?? throwNpe(f)), null),
      'void addAllRows(List<VisualEditor.DataRow>)': (f, o: NObj, [rows]) => {
        if (!(rows instanceof ApexList)) return throwNpe(f);
        rowsOf(o).items.push(...rows.items);
        return null;
      },
      'List<VisualEditor.DataRow> getDataRows()': (f, o: NObj) => new ApexList([...rowsOf(o).items], ROW),
      'VisualEditor.DataRow get(Integer)': (f, o: NObj, [i]) => rowsOf(o).items[Number(i)] ?? null,
      'Integer size()': (f, o: NObj) => rowsOf(o).items.length,
      'Boolean containsAllRows()': (f, o: NObj) => o.get('containsAllRows'),
      'void setContainsAllRows(Boolean)': (f, o: NObj, [v]) => (o.set('containsAllRows', v === true), null),
    },
  },
  'DynamicPickListRows',
);

defineNative(
  {
    name: 'VisualEditor.DesignTimePageContext',
    construct: () => {
      const o = new NObj('VisualEditor.DesignTimePageContext');
      o.set('entityName', null);
      o.set('pageType', null);
      return o;
    },
    fields: ['entityname', 'pagetype'],
  },
  'DesignTimePageContext',
);
