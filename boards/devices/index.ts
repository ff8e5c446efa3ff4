// The userspace device models, by the `compatible` string of the board devices they simulate.
import type { ModelFactory } from "./host.js";
import { pl011 } from "./pl011.js";
import { cmsdkUart } from "./cmsdk-uart.js";
import { nrf51Uart } from "./nrf51-uart.js";
import { stm32Usart } from "./stm32-usart.js";
import { pl061 } from "./pl061.js";
import { fpgaio } from "./fpgaio.js";
import { nrf51Gpio } from "./nrf51-gpio.js";

export const DEVICE_MODELS: Record<string, ModelFactory> = {
  "arm,pl011": pl011,
  "arm,cmsdk-apb-uart": cmsdkUart,
  "nordic,nrf51-uart": nrf51Uart,
  "st,stm32-usart": stm32Usart,
  "arm,pl061": pl061,
  "arm,mps2-fpgaio": fpgaio,
  "nordic,nrf51-gpio": nrf51Gpio,
};
