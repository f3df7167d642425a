/**
 * How offhours writes and reads the small things every message has, each in one place for the command line, the
 * functions and the page alike: sizes ({@link offhours.units.Sizes}), counts ({@link offhours.units.Plurals}), instants
 * ({@link offhours.units.Times}), outside text as a message quotes it ({@link offhours.units.Shown}), and the one
 * grammar of the numbers and time zones people give it ({@link offhours.units.Decimals},
 * {@link offhours.units.WholeNumbers}, {@link offhours.units.IanaZones}).
 */
package offhours.units;
